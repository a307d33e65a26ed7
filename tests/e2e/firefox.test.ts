/**
 * Margins in Firefox (Debian's ESR, the built Firefox extension, driven over WebDriver BiDi): a
 * reviewer's day — open the review panel from the toolbar button, comment, reload, reply — the popup
 * listing the review, and a review shared with a chair in Chromium, peer-to-peer both ways.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'puppeteer-core';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { createGroup, hubRequest, launch, openOverlay as openChromiumOverlay, type Browser } from './browser';
import { launchFirefox, selectTextIn, type Firefox, type FirefoxPanel } from './firefox';
import { firstComment, selectText } from './shadow';

const DRAFT = '/mag-wg-mwp-2018-08-15.html';
const SHARED = '/programme-framework-v1.html';
const PASSAGE = 'The group reviewed the goals and present status of these two pilots';

let server: DraftServer;
let firefox: Firefox;
let page: Page;
let signaling: SignalingServer | undefined;
let chromium: Browser | undefined;

beforeAll(async () => {
  server = await serveDrafts();
  firefox = await launchFirefox();
  page = await firefox.browser.newPage();
});
afterAll(async () => {
  await Promise.all([firefox?.close(), chromium?.close()]);
  await signaling?.close();
  await server?.close();
});

async function openOverlay(draft = DRAFT): Promise<FirefoxPanel> {
  await page.goto(server.origin + draft);
  await firefox.clickToolbarButton(page);
  const ui = await firefox.openPanel(page);
  await ui.waitFor('.panel:not(.no-page)');
  await ui.waitForText('.status', /open comment|Ready|No review/i);
  return ui;
}

describe('Margins in Firefox', () => {
  it('comments on a passage, keeps it across a reload, replies, and lists the review in the popup', async () => {
    let ui = await openOverlay();
    await selectTextIn(page, PASSAGE);
    await ui.addComment();
    await ui.type('.name input', 'Fiona Firefox');
    await ui.type('.new-comment textarea', 'Which pilots, and funded how?');
    await ui.submit();
    await ui.waitFor('.thread');
    await ui.waitForText('.thread .body', /Which pilots, and funded how\?/);

    await page.reload();
    ui = await openOverlay();
    await ui.waitForText('.thread .body', /Which pilots, and funded how\?/);

    await ui.click('.thread .reply-button');
    await ui.type('.thread .composer textarea', 'Both BPFs and the NRIs.');
    await ui.submit();
    await ui.waitFor('.thread .comment', { n: 2 });
    expect(await ui.texts('.thread .body')).toEqual(['Which pilots, and funded how?', 'Both BPFs and the NRIs.']);

    const popup = await firefox.openExtensionPage('/popup.html');
    let listed: unknown = null;
    for (const deadline = Date.now() + 10_000; !listed && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      listed = await popup.evaluate(`document.querySelector('.review')?.innerText ?? null`);
    }
    expect(listed).toMatch(/MAG WG-MWP meeting summary/);
    expect(listed).toMatch(/1\s+open/);
  });

  it('shares a review with a chair in Chromium: each sees the other\'s comment', async () => {
    signaling = await startSignalingServer({ port: 0, quiet: true });
    chromium = await launch();
    const { link } = await createGroup(chromium, 'MAG working group', signaling.url);

    // The Firefox member opens the invite link (the server's page) and presses the Margins button
    // there: the join page opens. (A Chromium chair's extension link could not open in Firefox.)
    await page.goto(link);
    expect(await page.$eval('#group', (e) => e.textContent)).toBe('MAG working group');
    await firefox.clickToolbarButton(page);
    const join = await firefox.extensionPageOpened('/join.html#');
    const joined = await join.evaluate(`(async () => {
      for (let i = 0; i < 100 && !document.querySelector('#name'); i++) await new Promise((r) => setTimeout(r, 100));
      const name = document.querySelector('#name');
      name.value = 'Fiona Firefox';
      name.dispatchEvent(new Event('input', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 100)); // let the page render the name before submitting
      document.querySelector('button[type=submit]').click();
      for (let i = 0; i < 100 && !document.querySelector('.ok'); i++) await new Promise((r) => setTimeout(r, 100));
      return document.querySelector('.ok')?.textContent ?? document.body.innerText;
    })()`);
    expect(joined).toMatch(/You joined MAG working group/);

    const chairPage = await chromium.context.newPage();
    const chairUi = await openChromiumOverlay(chromium, chairPage, server.origin + SHARED);
    await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');

    const ui = await openOverlay(SHARED);
    await ui.waitForText('.thread .body', /Whose input\?/, 60_000);
    expect(await ui.texts('.thread .author')).toEqual(['Ana Chair']);
    await selectTextIn(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
    await ui.addComment();
    await ui.type('.new-comment textarea', 'Please date this.');
    await ui.submit();
    await chairUi.waitForText('.thread .body', /Please date this\./, 60_000);
    await chairUi.waitForText('.thread .author', /Fiona Firefox/);
  });

  it('reminds the Firefox member, who has not commented on a second review, two hours before it closes', async () => {
    // The chair starts a review of another draft and sets it to close in 90 minutes.
    const chairPage = await chromium!.context.newPage();
    const chairUi = await openChromiumOverlay(chromium!, chairPage, server.origin + DRAFT);
    await chairUi.comment(PASSAGE, 'Which pilots?');
    await chairUi.waitFor('.thread');
    const review = ((await hubRequest(chromium!, 'list')) as { id: string; url: string }[]).find((r) => r.url.endsWith(DRAFT))!;
    const closes = new Date(Date.now() + 90 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await hubRequest(chromium!, 'append', { review: review.id, id: 'period-1', body: { type: 'period.set', opens: null, closes } });

    const shown = await firefox.recordNotifications();
    // Fiona turns reminders on in her dashboard: a click asks for the notifications permission.
    const board = await firefox.openExtensionPage('/dashboard.html');
    await board.click('.remind-me');
    expect(await board.evaluate(`(async () => {
      for (let i = 0; i < 50 && !document.querySelector('.reminders.on'); i++) await new Promise((r) => setTimeout(r, 100));
      return document.querySelector('.reminders')?.textContent;
    })()`)).toMatch(/Reminders are on/);
    const reached = await board.evaluate(`(async () => {
      const seen = () => [...document.querySelectorAll('.review .period')].some((p) => /Closing soon/.test(p.textContent));
      for (let i = 0; i < 300 && !seen(); i++) await new Promise((r) => setTimeout(r, 200));
      return seen();
    })()`);
    expect(reached).toBe(true);
    let alerts: [string, string, string][] = [];
    for (let i = 0; i < 50 && !alerts.length; i++) {
      await board.evaluate(`browser.runtime.sendMessage({ type: 'margins:check-reminders' })`);
      alerts = await shown();
      if (!alerts.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(alerts).toEqual([[expect.stringContaining(`${review.id}|${closes}|closing-2h`), expect.stringMatching(/MAG WG-MWP/), expect.stringMatching(/closes in 1 h \d+ min \(.*UTC\)\. You have not commented yet/)]]);
    // Looking again reminds no one twice.
    expect(JSON.parse((await board.evaluate(`browser.runtime.sendMessage({ type: 'margins:check-reminders' }).then(JSON.stringify)`)) as string)).toEqual({ ok: true, due: 0 });
    expect(await shown()).toHaveLength(1);
  });
});
