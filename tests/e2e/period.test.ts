/**
 * The chair runs a review period (issue 11), two Chromium processes over a real signaling server,
 * on a wall clock the test moves (tests/e2e/clock.ts): the chair sets the period in the sidebar;
 * two days before it closes the member, who has not commented, gets a notification; the member
 * comments and is not reminded again; the period closes by the clock and the member's composer
 * closes; the chair allows late comments and a late one is marked; the toolbar badge counts days
 * left and then the threads that wait; the dashboards count what the sidebars show, and a member's
 * dashboard is not the chair's.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createGroup, joinByLink, launch, openOverlay, type Browser, useTwoBrowsers } from './browser';
import { FakeClock } from './clock';
import { firstComment, selectText, type Panel } from './shadow';

const DRAFT = '/programme-framework-v1.html';
const H = 3_600_000;
const clock = new FakeClock();
// The member allowed Margins' notifications when they turned reminders on (tests/e2e/browser.ts).
const env = useTwoBrowsers({ clock, member: { notificationsAllowed: true } });
let chairUi: Panel;
let memberUi: Panel;
let chairPage: Page;
let memberPage: Page;

/** Sets an input inside the sidebar as typing would (Preact listens to input events). */
const setInput = (ui: Panel, selector: string, value: string) =>
  ui.evalAll(selector, `function () { this.value = ${JSON.stringify(value)}; this.dispatchEvent(new Event('input', { bubbles: true })); }`);

/** A `datetime-local` value, `hours` from the browsers' now, in their (the machine's) local time. */
function localIn(hours: number): string {
  const d = new Date(clock.now() + hours * H);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Opens the chair's period form, unless it is open: it stays open across saves. */
async function openPeriodForm(ui: Panel): Promise<void> {
  if (!(await ui.count('.period-form[open]'))) await ui.click('.period-form summary');
}

async function comment(page: Page, ui: Panel, passage: string, body: string): Promise<void> {
  await selectText(page, passage);
  await ui.addComment();
  await ui.type('.new-comment textarea', body);
  await ui.keyboard.press('Control+Enter');
}

/** The full-page dashboard's numbers for the one review. */
async function dashboard(browser: Browser): Promise<{ page: Page; counts: () => Promise<number[]> }> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
  await page.locator('.review').first().waitFor();
  const counts = async () => Promise.all(['.open-count', '.resolved-count', '.comment-count'].map(async (s) => Number(await page.locator(s).first().innerText())));
  return { page, counts };
}

/** The toolbar badge's text, after a dashboard has had the background look (as opening it does). */
async function badge(browser: Browser): Promise<string> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
  await page.locator('.review').first().waitFor();
  const text = await page.evaluate(async () => {
    const chromeApi = (globalThis as any).chrome;
    await chromeApi.runtime.sendMessage({ type: 'margins:check-reminders' });
    return chromeApi.action.getBadgeText({});
  });
  await page.close();
  return text;
}

/** The notifications Margins has on screen in this browser: their ids name review, closing time and kind. */
async function notifications(browser: Browser): Promise<string[]> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const ids = await page.evaluate(async () => Object.keys(await (globalThis as any).chrome.notifications.getAll()));
  await page.close();
  return ids;
}

/** The member closes their browser and opens it again, same profile, same clock. */
async function restartMember(): Promise<void> {
  await env.member.close();
  env.member = await launch(env.member.profile, { clock });
}

/** What the sidebar shows: open threads, resolved threads, comments that are not deleted. */
async function sidebarCounts(ui: Panel): Promise<number[]> {
  return [await ui.count('.thread.open'), await ui.count('.thread.resolved'), await ui.count('.thread .comment .body')];
}

describe('a review period', () => {
  it('the chair sets it in the sidebar, with a reason; both sidebars show it open, with UTC and local time', async () => {
    const { link } = await createGroup(env.chair, 'MAG working group', env.signaling.url);
    await joinByLink(env.member, link, 'Bo Member', 'MAG working group');

    chairPage = await env.chair.context.newPage();
    chairUi = await openOverlay(env.chair, chairPage, env.drafts.origin + DRAFT);
    await firstComment(chairPage, chairUi, 'The host country requested further input', 'Ana Chair', 'Whose input?');
    memberPage = await env.member.context.newPage();
    memberUi = await openOverlay(env.member, memberPage, env.drafts.origin + DRAFT);
    await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
    expect(await memberUi.count('.period-form')).toBe(0); // only the chair sets the period

    await openPeriodForm(chairUi);
    await setInput(chairUi, '.period-form .closes', localIn(72));
    await setInput(chairUi, '.period-form .reason', 'Agreed at the call');
    await chairUi.waitForText('.utc-hint', /Closes at \d{4}-\d\d-\d\d \d\d:\d\d UTC for the group/);
    await chairUi.click('.save-period');
    for (const ui of [chairUi, memberUi]) {
      const text = await ui.waitForText('.period', /^Open · closes in (2 d 23 h|3 d 0 h)/, 30_000);
      expect(text).toMatch(/closes \d{4}-\d\d-\d\d \d\d:\d\d UTC \(.+ your time\)/);
    }
    expect(await badge(env.member)).toBe('2d'); // days left, as the toolbar shows them
  });

  it('47 hours before closing, the member, who has not commented, is reminded once, even across restarts', async () => {
    expect(await notifications(env.member)).toEqual([]);
    await clock.advance(25 * H);
    for (const ui of [chairUi, memberUi]) await ui.waitForText('.period', /^Closing soon · 1 d 2\d h left/, 45_000);
    // The member's browser was closed overnight. Opened again, it finds the background's reminder
    // alarm overdue (it runs every 15 minutes) and the reminder goes out, nothing else asking.
    await restartMember();
    let shown: string[] = [];
    for (let i = 0; i < 100 && !shown.length; i++) {
      shown = await notifications(env.member);
      if (!shown.length) await new Promise((r) => setTimeout(r, 300));
    }
    expect(shown).toEqual([expect.stringMatching(/\|closing-48h$/)]);
    expect(await badge(env.member)).toBe('1d');

    // Restarted again, and asked at once: nothing is due twice.
    await restartMember();
    const page = await env.member.context.newPage();
    await page.goto(`chrome-extension://${env.member.extensionId}/options.html`);
    expect(await page.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'margins:check-reminders' }))).toEqual({ ok: true, due: 0 });
    await page.close();
    expect(await notifications(env.member)).toEqual([]);
    memberPage = await env.member.context.newPage();
    memberUi = await openOverlay(env.member, memberPage, env.drafts.origin + DRAFT);
    await memberUi.waitForText('.thread .body', /Whose input\?/, 45_000);
  });

  it('the member comments, and is not reminded two hours before closing', async () => {
    await comment(memberPage, memberUi, 'Best Practice Forums proposed to strengthen the meeting calendar', 'Please date this.');
    await chairUi.waitForText('.thread .body', /Please date this\./, 30_000);
    const before = await notifications(env.member);
    await clock.advance(46 * H); // an hour left
    for (const ui of [chairUi, memberUi]) await ui.waitForText('.period', /^Closing soon · (0 h|1 h|\d+ min) left/, 45_000);
    const check = await env.member.context.newPage();
    await check.goto(`chrome-extension://${env.member.extensionId}/dashboard.html`);
    expect(await check.evaluate(() => (globalThis as any).chrome.runtime.sendMessage({ type: 'margins:check-reminders' }))).toEqual({ ok: true, due: 0 });
    await check.close();
    expect(await notifications(env.member)).toEqual(before);
  });

  it("the period closes by the clock: the member's composer closes, the chair writes on", async () => {
    await openPeriodForm(chairUi);
    await chairUi.click('.period-form .allow-late'); // untick: no late comments
    await setInput(chairUi, '.period-form .reason', 'No late input');
    await chairUi.click('.save-period');
    await memberUi.waitForText('.period', /^Closing soon/, 30_000);
    // Saved: the chair's form is drawn anew for the new period, still open, the focus on its Save button.
    await chairUi.waitForText('.period-history li', /No late input/);
    expect(await chairUi.count('.period-form[open]')).toBe(1);
    expect(await chairUi.withRoot<string>('(root) => root.activeElement?.className ?? ""')).toMatch(/save-period/);
    await clock.advance(2 * H);
    await memberUi.waitForText('.period', /^Closed$|^Closed ·/, 45_000);
    expect(await memberUi.texts('.period strong')).toEqual(['Closed']);

    await selectText(memberPage, 'The host country requested further input');
    await memberUi.addComment();
    await memberUi.waitForText('.closed-message', /review period has closed/);
    expect(await memberUi.count('.new-comment textarea')).toBe(0);
    expect(await memberUi.count('.reply-button')).toBe(0);
    await memberUi.click('.new-comment button'); // the closed notice's Cancel
    // The chair still writes: resolution goes on after closing.
    expect(await chairUi.count('.reply-button')).toBeGreaterThan(0);

    // The chair's toolbar badge now counts the threads that wait for a decision; the member's had
    // counted the days left.
    expect(await badge(env.chair)).toBe(String(await chairUi.count('.thread.open')));
  });

  it('the chair reopens it for a day, then closes it early allowing late comments; the member comments again, marked late', async () => {
    await openPeriodForm(chairUi);
    await setInput(chairUi, '.period-form .closes', localIn(24));
    await setInput(chairUi, '.period-form .reason', 'One more day');
    await chairUi.click('.save-period');
    await memberUi.waitForText('.period', /^Closing soon · 2[34] h \d+ min left/, 30_000);
    await openPeriodForm(chairUi);
    await chairUi.click('.period-form .allow-late');
    await setInput(chairUi, '.period-form .reason', 'Late input welcome');
    await chairUi.click('.close-now');
    await memberUi.waitForText('.period', /late comments allowed/, 30_000);
    await comment(memberPage, memberUi, 'The host country requested further input', 'Sorry, late.');
    await chairUi.waitForText('.thread .comment', /Sorry, late\./, 30_000);
    expect(await chairUi.texts('.thread .comment .late')).toEqual([expect.stringMatching(/after the deadline/)]);
    // Each change of the period is in the review's record, newest first, with its reason.
    await openPeriodForm(chairUi);
    const history = await chairUi.texts('.period-history li');
    expect(history.map((h) => h.split(' · ').at(-1))).toEqual(['Late input welcome', 'One more day', 'No late input', 'Agreed at the call']);
  });

  it("counts on both dashboards equal the sidebar's through resolutions, deletions and reopening; the member's differs from the chair's", async () => {
    const chairBoard = await dashboard(env.chair);
    const memberBoard = await dashboard(env.member);
    const same = async () => {
      await chairBoard.page.waitForTimeout(300);
      const want = await sidebarCounts(chairUi);
      for (const board of [chairBoard, memberBoard]) {
        for (let i = 0; i < 100 && JSON.stringify(await board.counts()) !== JSON.stringify(want); i++) await board.page.waitForTimeout(200);
        expect(await board.counts()).toEqual(want);
      }
    };
    await same();

    // The chair resolves the member's thread; both dashboards follow live.
    const threads = await chairUi.texts('.thread');
    await chairUi.click(`.thread:nth-of-type(${threads.findIndex((t) => t.includes('Please date this.')) + 1}) .resolve-button`);
    await chairUi.type('.resolve textarea', 'Dates follow the calendar.');
    await chairUi.click('.resolve button.primary');
    await chairUi.waitForText('.thread.resolved', /Dates follow the calendar/);
    await same();

    // The member withdraws their late comment (nobody had answered it: the thread goes), then
    // reopens their resolved thread.
    await memberUi.waitForText('.thread.resolved', /Dates follow the calendar/, 30_000);
    const late = (await memberUi.texts('.thread')).findIndex((t) => t.includes('Sorry, late.'));
    await memberUi.click(`.thread:nth-of-type(${late + 1}) .comment .delete-button`);
    await memberUi.keyboard.press('Enter');
    await chairUi.waitFor('.thread', { n: 2, exact: true, timeout: 30_000 });
    await same();
    await memberUi.click('.thread.resolved .reopen-button');
    await chairUi.waitFor('.thread.resolved', { n: 0, exact: true, timeout: 30_000 });
    await same();

    // The chair's card says what waits for a decision; the member's, their own open threads.
    expect(await chairBoard.page.locator('.needs-decision summary').innerText()).toMatch(/Needs my decision \(2\)/);
    expect(await memberBoard.page.locator('.needs-decision').count()).toBe(0);
    expect(await memberBoard.page.locator('.mine summary').innerText()).toMatch(/My open threads \(1\)/);
    expect(await chairBoard.page.locator('.period strong').innerText()).toBe('Closed · late comments allowed');
  });
});
