/**
 * The review overlay on a draft, in Chromium with the built extension: the day-to-day actions of
 * a member and the chair, filters, revised drafts and orphans, and what survives a reload and a
 * restart. One browser profile is shared by the tests in order, as one reviewer's week would be.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, newProfileDir, openOverlay, type Browser } from './browser';
import { DRAFTS, serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { clickText, highlightedTexts, selectText, Panel } from './shadow';

const V1 = readFileSync(join(DRAFTS, 'programme-framework-v1.html'), 'utf8');
const V2 = readFileSync(join(DRAFTS, 'programme-framework-v2.html'), 'utf8');
// Two passages of section 1, one that v2 rewords (section 3), one that v2 deletes (section 11).
const FIRST = 'The host country requested further input on the Roadmap for 2018';
const SECOND = 'Best Practice Forums proposed to strengthen the meeting calendar';
const REWORDED = 'country endorsed written IGF outputs for consideration by the full MAG';
const DELETED = 'The Chair stressed the importance of the Option Paper on Methodologies by the end of the review period';

let server: DraftServer;
let browser: Browser;
const profile = newProfileDir();

beforeAll(async () => {
  server = await serveDrafts();
  server.route('/draft', V1); // one URL, whose content the revision test swaps for v2
  browser = await launch(profile);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path = '/draft'): Promise<{ page: Page; ui: Panel }> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  return { page, ui: await openOverlay(browser, page, server.origin + path) };
}

async function comment(page: Page, ui: Panel, passage: string, body: string): Promise<void> {
  const before = await ui.count('.thread');
  await selectText(page, passage);
  await ui.addComment();
  if (process.env.DEBUG_SHOT) await page.screenshot({ path: `/tmp/shot-${before}.png` });
  await ui.type('.new-comment textarea', body);
  await ui.keyboard.press('Control+Enter');
  await ui.waitFor('.thread', { n: before + 1, exact: true });
  // The thread can be drawn before the composer above the list closes; the list then moves up.
  await ui.waitFor('.new-comment', { n: 0, exact: true });
}

const thread = (passage: string) => `.thread[aria-label^="Thread on “${passage.slice(0, 30)}"]`;

describe('the review overlay', () => {
  it('comments, replies, edits and deletes its own comments, leaving a trace where replies follow', async () => {
    const { page, ui } = await open();
    await selectText(page, FIRST);
    await ui.addComment();
    await ui.type('.name input', 'Ana Chair');
    await ui.type('.new-comment textarea', 'Which input, and from whom?');
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 1, exact: true });

    await ui.click('.thread .reply-button');
    await ui.type('.thread .composer textarea', 'From the host country, see annex.');
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread .comment', { n: 2, exact: true });

    // Edit the first comment: the composer starts with its text.
    await ui.click('.thread .comment .edit-button');
    await ui.focus('.thread .comment .composer textarea');
    await ui.keyboard.press('Control+A');
    await ui.keyboard.type('Which input exactly, and from whom?');
    await ui.keyboard.press('Control+Enter');
    await ui.waitForText('.thread .comment', /Which input exactly, and from whom\?/);
    expect((await ui.texts('.thread .comment .edited')).map((t) => t.trim())).toEqual(['(edited)']);

    // Delete it (keyboard confirm): the reply keeps the thread, with a trace of the deleted comment.
    await ui.click('.thread .comment .delete-button');
    await ui.keyboard.press('Enter'); // focus sits on the confirming button
    await ui.waitForText('.thread .comment', /Comment deleted/);
    expect(await ui.texts('.thread .body')).toEqual(['From the host country, see annex.']);
    expect(await ui.count('.thread .comment .edit-button')).toBe(1); // only the reply is still editable
  });

  it('lets the chair resolve with a disposition and a note, reopen, and see the history', async () => {
    const { page, ui } = await open();
    await ui.waitFor('.thread', { n: 1, exact: true });
    await ui.click('.thread .resolve-button');
    await ui.focus('.resolve select');
    await ui.keyboard.press('ArrowDown'); // Accepted → Accepted with changes
    await ui.keyboard.press('ArrowDown'); // → Not accepted
    await ui.type('.resolve textarea', 'Out of scope for this round.');
    await ui.click('.resolve button.primary');
    await ui.waitForText('.thread .resolution', /Not accepted — Out of scope for this round\./);
    expect(await ui.texts('.thread .status-badge')).toEqual([expect.stringMatching(/^resolved$/i)]);
    expect(await highlightedTexts(page)).toEqual([FIRST]); // the page is not told it is resolved

    await ui.click('.thread .reopen-button');
    await ui.waitForText('.thread .status-badge', /^open$/i);
    await ui.click('.thread .history summary');
    const history = await ui.texts('.thread .history li');
    expect(history).toHaveLength(2);
    expect(history[0]).toMatch(/^Ana Chair resolved it as Not accepted .* — Out of scope for this round\.$/);
    expect(history[1]).toMatch(/^Ana Chair reopened it/);
  });

  it('filters by status, author, section, mine and unanswered, with a count for each', async () => {
    const { page, ui } = await open();
    await comment(page, ui, SECOND, 'Support this.');
    await comment(page, ui, REWORDED, 'Which outputs?');
    // Resolve the second thread so the status filter has something on each side.
    await ui.click(`${thread(SECOND)} .resolve-button`);
    await ui.click('.resolve button.primary');
    await ui.waitForText(`${thread(SECOND)} .status-badge`, /^resolved$/i);

    expect(await ui.texts('.section-heading')).toEqual(['1 - Proposal for an IGF Programme Framework', '3 - Roadmap for 2018']);
    expect(await ui.texts('.filter-status option')).toEqual(['All (3)', 'Open (2)', 'Resolved (1)']);
    expect(await ui.texts('.filter-section option')).toEqual([
      'All sections',
      '1 - Proposal for an IGF Programme Framework (2)',
      '3 - Roadmap for 2018 (1)',
    ]);
    await ui.focus('.filter-status');
    await ui.keyboard.press('ArrowDown'); // Open
    await ui.waitFor('.thread', { n: 2, exact: true });
    expect(await ui.texts('.filter-section option')).toEqual([
      'All sections',
      '1 - Proposal for an IGF Programme Framework (1)',
      '3 - Roadmap for 2018 (1)',
    ]);
    await ui.focus('.filter-section');
    await ui.keyboard.press('ArrowDown');
    await ui.keyboard.press('ArrowDown'); // section 3
    await ui.waitFor('.thread', { n: 1, exact: true });
    expect(await ui.texts('.thread q')).toEqual([REWORDED]);
    expect(await ui.texts('label.check')).toEqual(['Mine (1)', 'Unanswered (1)']);
    await ui.click('.filter-mine');
    await ui.click('.filter-unanswered');
    expect(await ui.texts('.filter-status option')).toEqual(['All (1)', 'Open (1)', 'Resolved (0)']);
    await ui.waitFor('.thread', { n: 1, exact: true });
    await ui.click('.clear-filters');
    await ui.waitFor('.thread', { n: 3, exact: true });
    expect(await ui.texts('.filter-author option')).toEqual(['Anyone', 'Ana Chair (3)']);
  });

  it('opens a thread from its highlight, and shows the passage from its thread', async () => {
    const { page, ui } = await open();
    await ui.waitFor('.thread', { n: 3, exact: true });
    await clickText(page, SECOND);
    await ui.waitFor(`${thread(SECOND)}.selected`);
    await expect.poll(() => ui.withRoot<string>('(root) => root.activeElement?.getAttribute("aria-label") ?? ""')).toMatch(/^Thread on “Best Practice Forums/);
    expect(await highlightedTexts(page, 'margins-focus')).toEqual([SECOND]);

    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await ui.click(`${thread(REWORDED)} button.quote`);
    await ui.waitFor(`${thread(REWORDED)}.selected`);
    expect(await highlightedTexts(page, 'margins-focus')).toEqual([REWORDED]);
    // The page scrolled back up to the passage.
    await page.waitForFunction((needle) => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!(n as Text).data.includes(needle)) continue;
        const r = n.parentElement!.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight;
      }
      return false;
    }, REWORDED);
  });

  it('keeps an unsent comment across a reload, and opens the composer from the shortcut and the menu', async () => {
    let { page, ui } = await open();
    await selectText(page, 'Best Practice Forums');
    await ui.addComment();
    await ui.type('.new-comment textarea', 'Half-written thought');
    await ui.keyboard.press('Escape'); // cancel: the text is kept for later
    // A resolution begun, its disposition chosen and its note half written, is kept too.
    const resolve = `${thread(REWORDED)} .resolve`;
    await ui.click(`${thread(REWORDED)} .resolve-button`);
    await ui.evalAll(`${resolve} select`, "function () { this.value = 'not-accepted'; this.dispatchEvent(new Event('change', { bubbles: true })); }");
    await ui.type(`${resolve} textarea`, 'Out of scope for this draft.');
    await page.waitForTimeout(400); // past the write-behind delay
    await page.reload();
    ({ page, ui } = await open());
    await ui.waitForText('.new-comment', /Best Practice Forums[\s\S]*/);
    expect(await ui.evalAll('.new-comment textarea', 'function () { return this.value; }')).toEqual(['Half-written thought']);
    await ui.click(`${thread(REWORDED)} .resolve-button`);
    expect(await ui.evalAll(`${resolve} select, ${resolve} textarea`, 'function () { return this.value; }')).toEqual(['not-accepted', 'Out of scope for this draft.']);
    await ui.focus(`${resolve} textarea`);
    await ui.keyboard.press('Escape'); // a resolution cancelled is forgotten
    // Emptying it forgets it.
    await ui.focus('.new-comment textarea');
    await ui.keyboard.press('Control+A');
    await ui.keyboard.press('Backspace');
    await ui.keyboard.press('Escape');
    await ui.waitFor('.new-comment', { n: 0, exact: true });

    // Ctrl+Alt+M on a selection, as in a word processor.
    await selectText(page, 'meeting calendar');
    await page.keyboard.press('Control+Alt+KeyM');
    await ui.waitForText('.new-comment blockquote', /^meeting calendar$/);
    await ui.keyboard.press('Escape');

    // The context menu entry and the browser shortcut reach the overlay as a message from the background.
    await selectText(page, 'Roadmap for 2018');
    const worker = browser.context.serviceWorkers()[0];
    await worker.evaluate(async () => {
      const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number }[]>; sendMessage(id: number, m: object): Promise<void> } } }).chrome;
      const [tab] = await c.tabs.query({ active: true, lastFocusedWindow: true });
      await c.tabs.sendMessage(tab.id, { type: 'margins:comment-on-selection' });
    });
    await ui.waitForText('.new-comment blockquote', /^Roadmap for 2018$/);
    await ui.keyboard.press('Escape');
    // The toolbar button says what it does (its title, in the browser's language).
    expect(await worker.evaluate(() => (globalThis as unknown as { chrome: { action: { getTitle(d: object): Promise<string> } } }).chrome.action.getTitle({}))).toBe('Open Margins on this page');
  });

  it('on the revised draft at the same URL, shows reworded passages old and new, and lists the deleted one as an orphan', async () => {
    let { page, ui } = await open();
    await comment(page, ui, DELETED, 'This paragraph matters.');
    server.route('/draft', V2);
    ({ page, ui } = await open());
    await ui.waitFor('.thread', { n: 3, exact: true });
    await ui.waitForText(`${thread(REWORDED)} .revision`, /changed this passage/);
    expect(await ui.texts(`${thread(REWORDED)} .now q`)).toEqual([REWORDED.replace('the full', 'the revised full')]);
    // A passage that reads the same where it was gets no note, however much the draft changed around it.
    expect(await ui.count(`${thread(FIRST)} .revision`)).toBe(0);
    expect(await ui.texts('.tab-orphans')).toEqual(['Orphans (1)']);

    await ui.click('.tab-orphans');
    await ui.waitFor('.thread.orphan', { n: 1, exact: true });
    expect(await ui.texts('.thread.orphan q')).toEqual([DELETED]);
    expect(await ui.texts('.thread.orphan .revision')).toEqual([expect.stringMatching(/no longer in the draft/)]);
    expect(await ui.texts('.thread.orphan .body')).toEqual(['This paragraph matters.']);
    await ui.keyboard.press('ArrowLeft'); // tab list: back to the comments by keyboard
    await ui.waitFor('.thread', { n: 3, exact: true });
    expect(await highlightedTexts(page)).toContain(REWORDED.replace('the full', 'the revised full'));
  });

  it('keeps edits, deletions, resolutions and their history across a browser restart', async () => {
    await browser.close();
    browser = await launch(profile);
    const { ui } = await open();
    await ui.waitFor('.thread', { n: 3, exact: true });
    expect(await ui.texts(`${thread(FIRST)} .comment`)).toEqual([
      expect.stringMatching(/Comment deleted/),
      expect.stringMatching(/From the host country, see annex\./),
    ]);
    expect(await ui.texts(`${thread(SECOND)} .status-badge`)).toEqual([expect.stringMatching(/^resolved$/i)]);
    expect(await ui.count(`${thread(FIRST)} .history li`)).toBe(2);
    expect(await ui.texts('.tab-orphans')).toEqual(['Orphans (1)']);
  });
});
