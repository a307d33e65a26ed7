/**
 * The chair exports the resolution (issue 12), in Chromium with the built extension: comments and
 * a decision on the sample meeting summary, then "Export…" in the sidebar opens the dashboard at
 * that review's export menu; the downloaded files hold the thread, the comment, the decision and
 * what became of the passage (the sidebar told the hub how the draft reads), and Copy as Markdown
 * puts the summary on the clipboard. The JSON-LD export, imported into the review of another copy
 * of the draft, lands on its passage with its original author.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mammoth from 'mammoth';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DRAFTS } from '../../scripts/serve-drafts.mjs';
import { openOverlay, useOneBrowser } from './browser';
import { firstComment, highlightedTexts, selectText, type Panel } from './shadow';

const PASSAGE = 'participants agreed to the meeting being recorded';
const COMMENT = 'Please link the recording itself <b>not</b> the meetings page.';
let ui: Panel;
let page: Page;
let dashboard: Page;

const env = useOneBrowser();

async function downloadAs(format: string): Promise<{ name: string; bytes: Buffer }> {
  await dashboard.locator('.export select').selectOption(format);
  const [file] = await Promise.all([dashboard.waitForEvent('download'), dashboard.locator('.export-download').click()]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path) };
}

describe('export of a review', () => {
  it('opens the dashboard at the review’s export menu from the panel', async () => {
    page = await env.browser.context.newPage();
    ui = await openOverlay(env.browser, page, `${env.drafts.origin}/mag-wg-mwp-2018-08-15.html`);
    await firstComment(page, ui, PASSAGE, 'Amara Chair', COMMENT);
    await ui.click('.thread .resolve-button');
    await ui.type('.resolve textarea', 'The direct link is added.');
    await ui.click('.resolve button.primary');
    await ui.waitForText('.thread .status-badge', /^resolved$/i);

    const opened = env.browser.context.waitForEvent('page');
    await ui.click('.export-open');
    dashboard = await opened;
    await dashboard.waitForURL(/dashboard\.html#export=/);
    await dashboard.locator('.review .export[open]').waitFor();
  });

  it('keeps the panel bound when the toolbar button is pressed three more times, and when two injections cross', async () => {
    await page.bringToFront();
    for (let i = 0; i < 3; i++) await env.browser.clickToolbarButton(page);
    // Two injections that cross (the popup's and the panel's, each checking before either script
    // ran) leave one live agent, which the panel binds to again.
    const worker = env.browser.context.serviceWorkers()[0];
    await worker.evaluate(async (url) => {
      const c = (globalThis as unknown as { chrome: any }).chrome;
      const [tab] = (await c.tabs.query({})).filter((t: { url?: string }) => t.url === url);
      await Promise.all([0, 1].map(() => c.scripting.executeScript({ target: { tabId: tab.id }, files: ['/content-scripts/overlay.js'] })));
    }, page.url());
    await ui.waitFor('.panel:not(.no-page)');
    await expect.poll(() => highlightedTexts(page)).toEqual([PASSAGE]);
    await page.waitForTimeout(500);
    expect(await ui.count('.panel')).toBe(1);
    expect(await ui.texts('.thread .body')).toEqual([COMMENT]);
    expect(await page.evaluate(() => document.querySelectorAll('margins-overlay').length)).toBe(1);
  });

  it('downloads the summary in Markdown and HTML, with the passage’s fate in the draft as it reads now', async () => {
    const md = await downloadAs('markdown');
    const today = new Date().toISOString().slice(0, 10);
    expect(md.name).toBe(`mag-wg-mwp-meeting-summary-2018-08-15-resolution-${today}.md`);
    const text = md.bytes.toString('utf8');
    expect(text).toContain(`> ${PASSAGE}`);
    expect(text).toContain('Please link the recording itself \\<b\\>not\\</b\\> the meetings page.');
    expect(text).toContain('**Decision:** Accepted, by Amara Chair');
    expect(text).toContain('**In the latest revision:** Unchanged');
    expect(text).toMatch(/\*\*CHAIR:\*\*\n\n- Amara Chair: 1 comment/);
    const html = (await downloadAs('html')).bytes.toString('utf8');
    expect(html).toContain('&lt;b&gt;not&lt;/b&gt;');
    expect(html).not.toContain('<b>not</b>');
  });

  it('downloads a DOCX that a reader opens, and a CSV with a byte-order mark', async () => {
    const docx = await downloadAs('docx');
    expect(docx.name).toMatch(/-resolution-\d{4}-\d{2}-\d{2}\.docx$/);
    const { value } = await mammoth.extractRawText({ buffer: docx.bytes });
    expect(value).toContain(COMMENT);
    expect(value).toContain('The direct link is added.');
    const csv = await downloadAs('csv');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8')).toContain('Amara Chair');
  });

  it('copies the summary as Markdown', async () => {
    await dashboard.locator('.export-copy').click();
    await expect.poll(() => dashboard.locator('.export-status').innerText()).toMatch(/Copied/);
    // Pasted into a field, as the chair would paste it into a mail.
    await dashboard.evaluate(() => document.body.append(Object.assign(document.createElement('textarea'), { id: 'paste-here' })));
    await dashboard.locator('#paste-here').focus();
    await dashboard.keyboard.press('Control+V');
    const copied = await dashboard.locator('#paste-here').inputValue();
    expect(copied).toMatch(/^# Resolution of comments: MAG WG-MWP meeting summary 2018-08-15\n/);
  });

  it('imports its own JSON-LD into the review of another copy of the draft, the passage placed', async () => {
    const jsonld = (await downloadAs('w3c')).bytes;
    const file = join(mkdtempSync(join(tmpdir(), 'margins-import-')), 'annotations.jsonld');
    writeFileSync(file, jsonld);
    const copy = readFileSync(join(DRAFTS, 'mag-wg-mwp-2018-08-15.html'), 'utf8').replace(/<link rel="canonical"[^>]*>/, '<link rel="canonical" href="/copy">');
    env.drafts.route('/copy.html', copy);
    const other = await env.browser.context.newPage();
    const otherUi = await openOverlay(env.browser, other, `${env.drafts.origin}/copy.html`);
    await otherUi.comment('The group discussed a proposal', 'A first comment starts this copy’s review.');
    await otherUi.waitFor('.thread', { n: 1, exact: true });

    await otherUi.setFiles('.import input[type=file]', [file]);
    await otherUi.waitForText('.import-status', /Imported — comments: 1, replies: 0; not placed in this draft \(see Orphans\): 0; left out: 1\./);
    await otherUi.waitFor('.thread', { n: 2, exact: true });
    const today = new Date().toISOString().slice(0, 10);
    expect(await otherUi.texts('.thread .body')).toContain(`[Amara Chair, ${today}] ${COMMENT}`);
    expect(await highlightedTexts(other)).toContain(PASSAGE);
  });
  it('selects the thread of a highlight inside a link without following the link, and rings link-style buttons with focus', async () => {
    await page.bringToFront();
    await selectText(page, 'here'); // the link's text: the first text node holding "here"
    expect(await page.evaluate(() => getSelection()!.anchorNode!.parentElement!.getAttribute('href'))).toBe('#recording');
    await ui.addComment();
    await ui.type('.new-comment textarea', 'Which recording?');
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 2, exact: true });
    await page.locator('a[href="#recording"]').click();
    await ui.waitFor('.thread.selected');
    expect(await ui.texts('.thread.selected .body')).toEqual(['Which recording?']);
    expect(new URL(page.url()).hash).toBe('');
    await ui.focus('.thread.selected .reply-button');
    await ui.keyboard.press('Shift+Tab');
    await ui.keyboard.press('Tab'); // keyboard focus, so :focus-visible applies
    const outline = await ui.withRoot<string>('(root) => getComputedStyle(root.activeElement).outlineStyle');
    expect(outline).toBe('solid');
  });
});
