/**
 * The chair removes a member (issue 10's acceptance): two Chromium processes — the chair and the
 * member removed — and a Node peer as the member who stays, over a real signaling server. After
 * the removal the removed browser receives no new comment; the others keep syncing; what the
 * removed member wrote stays in the record, under their name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, type Peer } from '../support/peers';
import { createGroup, joinByLink, launch, openOverlay, type Browser } from './browser';
import { firstComment, type Panel } from './shadow';

const DRAFT = '/programme-framework-v1.html';
/** The drafts' canonical links name a path on the drafts' own origin (one from elsewhere does not count). */
const canonical = () => `${drafts.origin}/proposal-for-an-igf-programme-framework`;
let drafts: DraftServer;
let signaling: SignalingServer;
let chair: Browser;
let member: Browser;
let stays: Peer;

beforeAll(async () => {
  drafts = await serveDrafts();
  signaling = await startSignalingServer({ port: 0, quiet: true });
  [chair, member, stays] = await Promise.all([launch(), launch(), startPeer('Cy Stays', signaling.url)]);
});
afterAll(async () => {
  stays?.stop();
  await Promise.all([chair?.close(), member?.close()]);
  await signaling?.close();
  await drafts?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('removing a member', () => {
  let chairUi: Panel;
  let memberUi: Panel;

  it('sets up: a group of three, a review, a comment from the member who will be removed', async () => {
    const { link, code } = await createGroup(chair, 'MAG working group', signaling.url);
    await joinByLink(member, link, 'Bo Member', 'MAG working group');
    await stays.send('join', { invite: code });

    const chairPage = await chair.context.newPage();
    chairUi = await openOverlay(chair, chairPage, drafts.origin + DRAFT);
    await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');

    const memberPage = await member.context.newPage();
    memberUi = await openOverlay(member, memberPage, drafts.origin + DRAFT);
    await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
    await memberUi.comment('Best Practice Forums proposed to strengthen the meeting calendar', 'Please date this.');
    await chairUi.waitForText('.thread .body', /Please date this\./, 45_000);

    await stays.send('await-review', { canonical: canonical() });
    await stays.send('await-member');
    expect((await stays.send('state', { threads: 2, timeout: 45_000 })).threads).toBe(2);
  });

  it('the chair removes the member from the options page', async () => {
    const options = await chair.context.newPage();
    await options.goto(`chrome-extension://${chair.extensionId}/options.html`);
    const row = options.locator('li[data-member="Bo Member"]');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.innerText()).toMatch(/Invite 1/); // which invite admitted them
    await row.getByRole('button', { name: 'Remove' }).click();
    await row.getByText(/What they wrote stays in the record/).waitFor();
    await row.getByRole('button', { name: 'Remove' }).click();
    await options.getByText('Removed: Bo Member').waitFor({ timeout: 30_000 });
    // Every invite made so far carried the old secret: revoked with it.
    expect(await options.locator('.invites li').first().innerText()).toMatch(/revoked/);
    await options.close();
  });

  it('the member who stays and the chair keep syncing; the removed browser receives nothing new', async () => {
    for (let i = 0; i < 100 && (await stays.send('epoch')).epoch !== 1; i++) await sleep(200);
    expect((await stays.send('epoch')).epoch).toBe(1);
    await stays.send('comment', { exact: 'Best Practice Forums proposed to strengthen the meeting calendar', body: 'Agreed: date it.' });
    await chairUi.waitForText('.thread .body', /Agreed: date it\./, 45_000);

    await sleep(8_000);
    expect(await memberUi.texts('.thread .body')).not.toContainEqual(expect.stringMatching(/Agreed: date it\./));

    // What the removed member wrote stays, under their name, in the chair's sidebar and the other member's review.
    const threads = await chairUi.texts('.thread');
    expect(threads.find((t) => t.includes('Please date this.'))).toMatch(/Bo Member/);
    const { comments } = await stays.send('comments');
    expect(comments.map((c: [string, string]) => c[1])).toContain('Please date this.');

    // And the removed member's options page says what happened.
    const options = await member.context.newPage();
    await options.goto(`chrome-extension://${member.extensionId}/options.html`);
    await options.getByText(/The chair removed you from this group/).waitFor({ timeout: 30_000 });
    await options.close();
  });
});
