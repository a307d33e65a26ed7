/**
 * Two separate Chromium processes — the chair's profile and a member's — with the built extension,
 * a signaling server and the draft on 127.0.0.1: invite, join, comment, resolve, all peer-to-peer.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { fromBase64Url, toBase64Url } from '../../lib/identity/base64url';
import type { Page } from 'playwright-core';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { createGroup, hubRequest, launch, openPanel, type Browser } from './browser';
import { firstComment, type Panel } from './shadow';

const DRAFT = '/programme-framework-v1.html';
let drafts: DraftServer;
let signaling: SignalingServer;
let chair: Browser;
let member: Browser;

beforeAll(async () => {
  drafts = await serveDrafts();
  signaling = await startSignalingServer({ port: 0, quiet: true });
  [chair, member] = await Promise.all([launch(), launch()]);
});
afterAll(async () => {
  await Promise.all([chair?.close(), member?.close()]);
  await signaling?.close();
  await drafts?.close();
});

let views = 0;
async function overlayOn(browser: Browser): Promise<{ page: Page; ui: Panel }> {
  const page = await browser.context.newPage();
  await page.goto(`${drafts.origin}${DRAFT}#view-${++views}`); // its own address: the same draft (and review)
  await browser.clickToolbarButton(page);
  const ui = await openPanel(browser, page);
  await ui.waitFor('.panel:not(.no-page)');
  return { page, ui };
}

describe('peer-to-peer review', () => {
  let chairUi: Panel;
  let chairPage: Page;
  let memberUi: Panel;
  let memberPage: Page;

  it('invites a member, who clicks the link in an ordinary page and joins after seeing the group and the chair key', async () => {
    const { link, fingerprint } = await createGroup(chair, 'MAG working group', signaling.url);
    // The group server's page: a link that opens from webmail or chat, unlike an extension address.
    expect(link).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${signaling.port}/join#margins1\\.`));

    // The member's webmail, say: an ordinary page with the link in it.
    drafts.route('/mail', `<!doctype html><title>Mail</title><p>Please join: <a href="${link}">the review group</a></p>`);
    const mail = await member.context.newPage();
    await mail.goto(`${drafts.origin}/mail`);
    await mail.click('a');
    await mail.locator('#group').getByText('MAG working group').waitFor();
    expect(await mail.locator('#fingerprint').innerText()).toBe(fingerprint);

    // Margins installed: the button pressed on that page opens the join step.
    const [join] = await Promise.all([member.context.waitForEvent('page', (p) => p.url().includes('/join.html#')), member.clickToolbarButton(mail)]);
    await join.locator('.group-name').waitFor();
    expect(await join.locator('.group-name').innerText()).toContain('MAG working group');
    expect(await join.locator('.fingerprint').innerText()).toBe(fingerprint);
    await join.fill('#name', 'Bo Member');
    await join.click('button[type=submit]');
    await join.getByText('You joined MAG working group').waitFor();
    await join.close();

    // The link opened again: the join page knows this member.
    const [again] = await Promise.all([member.context.waitForEvent('page', (p) => p.url().includes('/join.html#')), member.clickToolbarButton(mail)]);
    await again.getByText('You are already a member of MAG working group').waitFor();
    expect(await again.locator('#name').count()).toBe(0);
    await Promise.all([again.close(), mail.close()]);
  });

  it("shows the chair's comment to the member, and the member's to the chair", async () => {
    ({ page: chairPage, ui: chairUi } = await overlayOn(chair));
    await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');

    ({ page: memberPage, ui: memberUi } = await overlayOn(member));
    await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
    expect(await memberUi.texts('.thread .author')).toEqual(['Ana Chair']);

    await memberUi.comment('Best Practice Forums proposed to strengthen the meeting calendar', 'Please date this.');
    await chairUi.waitForText('.thread .body', /Please date this\./, 45_000);
    await chairUi.waitForText('.status', /connected to 1 reviewer/, 20_000);
    // Both have the draft open: each sidebar says who else is here.
    await chairUi.waitForText('.presence', /^Here now: Bo Member$/, 20_000);
    await memberUi.waitForText('.presence', /^Here now: Ana Chair$/, 20_000);
  });

  it('lets the chair resolve the member\'s comment with a disposition the member then sees', async () => {
    const threads = await chairUi.texts('.thread');
    const index = threads.findIndex((t) => t.includes('Please date this.'));
    expect(index).toBeGreaterThanOrEqual(0);
    await chairUi.click(`.thread:nth-of-type(${index + 1}) .resolve-button`);
    await chairUi.evalAll('.resolve select', "function () { this.value = 'not-accepted'; this.dispatchEvent(new Event('change', { bubbles: true })); }");
    await chairUi.type('.resolve textarea', 'Dates follow the calendar.');
    await chairUi.click('.resolve button.primary');
    await chairUi.waitForText('.thread.resolved', /Not accepted — Dates follow the calendar\./);
    await memberUi.waitForText('.thread.resolved', /Not accepted — Dates follow the calendar\./, 30_000);
    // A member resolves nothing, and may reopen only the thread they started.
    expect(await memberUi.count('.resolve-button')).toBe(0);
    expect(await memberUi.count('.thread.resolved .reopen-button')).toBe(1);
  });

  it("reports a forged event in both sidebars' sync problems, and keeps it out of the review", async () => {
    // The member's browser gone bad: it writes into the review's log, under a real signature,
    // words nobody signed — through its own hub, as altered code in that browser could.
    const [review] = await hubRequest(member, 'find', { canonical: `${drafts.origin}/proposal-for-an-igf-programme-framework` });
    const page = await member.context.newPage();
    await page.goto(`chrome-extension://${member.extensionId}/popup.html`);
    // Subscribe with an empty doc's sync step 1; the hub answers with its whole state (step 2).
    const messages: string[] = await page.evaluate(async (id) => {
      const w = globalThis as any;
      w.port = w.chrome.runtime.connect({ name: 'margins-hub' });
      const got: string[] = [];
      w.port.onMessage.addListener((m: any) => m.t === 'sync' && m.review === id && got.push(m.data));
      w.port.postMessage({ t: 'sync', review: id, data: 'AAEA' });
      await new Promise((r) => setTimeout(r, 1000));
      return got;
    }, review.id);
    const doc = new Y.Doc();
    for (const m of messages) syncProtocol.readSyncMessage(decoding.createDecoder(fromBase64Url(m)), encoding.createEncoder(), doc, null);
    const before = Y.encodeStateVector(doc);
    const events = doc.getArray<{ p: string; s: string }>('events');
    const real = events.toArray().reverse().find((e) => e.p.includes('"type":"comment.add"'))!;
    events.push([{ p: real.p.replace(/"body":"[^"]*"/, '"body":"Words nobody signed"'), s: real.s }]);
    const update = encoding.createEncoder();
    syncProtocol.writeUpdate(update, Y.encodeStateAsUpdate(doc, before));
    await page.evaluate(([id, data]) => (globalThis as any).port.postMessage({ t: 'sync', review: id, data }), [review.id, toBase64Url(encoding.toUint8Array(update))] as const);

    for (const ui of [memberUi, chairUi]) {
      await ui.waitForText('.sync-problems summary', /^Sync problems \(1\)$/, 30_000);
      await ui.click('.sync-problems summary');
      await ui.waitForText('.sync-problems li', /^1 event set aside: signature does not verify/); // shown once the list is open
      expect(await ui.texts('.sync-problems li')).toEqual([expect.stringMatching(/^1 event set aside: signature does not verify/)]);
    }
    expect(await chairUi.texts('.thread .body')).not.toContain('Words nobody signed');
    await page.close();
  });
});

describe('peer-to-peer review, offline and back', () => {
  it('merges edits both made while the signaling server was down', async () => {
    const memberProfile = member.profile;
    await member.close();
    await signaling.close();
    // Offline: the chair comments; the member, restarted without signaling, comments too.
    const chairView = await overlayOn(chair);
    await chairView.ui.comment('The IGF Secretariat reaffirmed its support for intersessional activities', 'Chair, offline.');
    await chairView.ui.waitForText('.thread .body', /Chair, offline\./);

    member = await launch(memberProfile);
    const memberView = await overlayOn(member);
    await memberView.ui.waitFor('.thread', { n: 2 });
    await memberView.ui.waitForText('.status', /nobody else is online — your comments are saved here/);
    await memberView.ui.comment('stressed the importance of the Option Paper on Methodologies', 'Member, offline.');
    await memberView.ui.waitForText('.thread .body', /Member, offline\./);

    signaling = await startSignalingServer({ port: signaling.port, quiet: true });
    await memberView.ui.waitForText('.thread .body', /Chair, offline\./, 45_000);
    await chairView.ui.waitForText('.thread .body', /Member, offline\./, 45_000);
    expect((await chairView.ui.texts('.thread .body')).sort()).toEqual((await memberView.ui.texts('.thread .body')).sort());
  });

  it('keeps a third browser with another secret out, without errors in the other two', async () => {
    const outsider = await launch();
    try {
      // Same group name and signaling server, another secret: a forged or mistaken group.
      await hubRequest(outsider, 'create-group', { name: 'MAG working group', signaling: [signaling.url], iceServers: [] });
      const view = await overlayOn(outsider);
      await view.page.waitForTimeout(4000);
      expect(await view.ui.count('.thread')).toBe(0);
      expect(await view.ui.texts('.review-title')).toEqual([expect.stringMatching(/No review of this draft yet/)]);
      for (const b of [chair, member]) expect((await hubRequest(b, 'diagnostics')).unhandledErrors).toBe(0);
    } finally {
      await outsider.close();
    }
  });

  it('has the whole review back from IndexedDB after both browsers restart, offline', async () => {
    const view = await overlayOn(chair);
    await view.ui.waitFor('.thread', { n: 4 });
    const before = (await view.ui.texts('.thread .body')).sort();
    await signaling.close();
    const profiles = [chair.profile, member.profile];
    await Promise.all([chair.close(), member.close()]);
    [chair, member] = await Promise.all(profiles.map((p) => launch(p)));
    for (const b of [chair, member]) {
      const { ui } = await overlayOn(b);
      await ui.waitFor('.thread', { n: before.length, exact: true });
      expect((await ui.texts('.thread .body')).sort()).toEqual(before);
    }
    expect(before).toHaveLength(4);
  });
});
