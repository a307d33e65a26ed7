/**
 * A member who opens the draft before the chair has started its review (issue 13, "split reviews"),
 * two Chromium processes over a real signaling server: the member's comment waits instead of
 * starting a private review nobody else sees; the review arrives in the open sidebar by itself
 * when the chair starts it; the waiting comment goes into it; one review in each browser.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createGroup, hubRequest, joinByLink, openOverlay, useTwoBrowsers } from './browser';
import { firstComment, selectText, type Panel } from './shadow';

const DRAFT = '/programme-framework-v1.html';
const env = useTwoBrowsers();
let memberUi: Panel;
let memberPage: Page;

describe('a review that starts after a member opened the draft', () => {
  it("holds the member's comment instead of starting a review only they would see", async () => {
    const { link } = await createGroup(env.chair, 'MAG working group', env.signaling.url);
    await joinByLink(env.member, link, 'Bo Member', 'MAG working group');
    memberPage = await env.member.context.newPage();
    memberUi = await openOverlay(env.member, memberPage, env.drafts.origin + DRAFT);
    await selectText(memberPage, 'Best Practice Forums proposed to strengthen the meeting calendar');
    await memberUi.addComment();
    await memberUi.waitForText('.awaiting-chair', /chair starts reviews/);
    await memberUi.type('.new-comment textarea', 'Please date this.');
    await memberUi.keyboard.press('Control+Enter');
    await memberUi.waitForText('.hint', /chair starts reviews/);
    expect(await memberUi.count('.thread')).toBe(0);
    expect(await hubRequest(env.member, 'list')).toEqual([]);
  });

  it('shows the review as soon as the chair starts it, and the waiting comment goes into it', async () => {
    const chairPage = await env.chair.context.newPage();
    const chairUi = await openOverlay(env.chair, chairPage, env.drafts.origin + DRAFT);
    await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');

    // No reload: the open sidebar takes the review when it reaches this browser.
    await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
    expect(await memberUi.count('.awaiting-chair')).toBe(0);
    await memberUi.click('.new-comment textarea');
    await memberUi.keyboard.press('Control+Enter');
    await memberUi.waitFor('.thread', { n: 2, exact: true });
    await chairUi.waitForText('.thread .body', /Please date this\./, 30_000);
    const [chairList, memberList] = await Promise.all([hubRequest(env.chair, 'list'), hubRequest(env.member, 'list')]);
    expect(memberList.map((r: { id: string }) => r.id)).toEqual(chairList.map((r: { id: string }) => r.id));
    expect(memberList).toHaveLength(1);
  });
});
