/**
 * The page is untrusted: it must not read our data, see what the reader types, or act for the
 * reader, and comment text and names from others must render as text. Plus an axe-core audit of
 * the review panel in the state a chair sees it in.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, openOverlay, type Browser } from './browser';
import { DRAFTS, serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { clickText, highlightedTexts, selectText } from './shadow';

const V1 = readFileSync(join(DRAFTS, 'programme-framework-v1.html'), 'utf8');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PASSAGE = 'The host country requested further input on the Roadmap for 2018';

// Everything a page can try on an extension drawn into it: restyle everything, define our custom
// element first (its constructor then holds our element's internals, and with them a closed shadow
// root), patch attachShadow, log every key in the capture phase, and press every button it can
// reach with synthetic clicks and keys.
const HOSTILE = V1.replace(
  '</head>',
  `<style>
  * { font-size: 40px !important; color: #f0f !important; line-height: 5 !important; }
  </style>
  <script>
  window.__captured = []; window.__keys = []; window.__pressed = 0;
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const r = attach.call(this, init); window.__captured.push(r); return r; };
  customElements.define('margins-overlay', class extends HTMLElement {
    constructor() { super(); window.__captured.push(this.attachInternals()); }
  });
  for (const type of ['keydown', 'keypress', 'keyup', 'input', 'beforeinput']) addEventListener(type, (e) => e.isTrusted && window.__keys.push(e.key ?? e.data ?? ''), true);
  window.__roots = () => window.__captured.map((c) => c.shadowRoot ?? c).filter(Boolean);
  window.__attack = () => {
    for (const root of window.__roots()) for (const b of root.querySelectorAll('button')) { b.click(); b.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })); window.__pressed++; }
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', code: 'KeyM', ctrlKey: true, altKey: true, bubbles: true }));
    const mark = [...document.querySelectorAll('p')].find((p) => p.textContent.includes('${PASSAGE}'));
    if (mark) { const r = mark.getBoundingClientRect(); mark.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + 20, clientY: r.top + 5 })); }
  };
  </script>
</head>`,
);

const XSS_NAME = `<img src=x onerror="window.__xss='name'">Mallory`;
const XSS_BODY = `<img src=x onerror="window.__xss='body'"><script>window.__xss='script'</script> **bold** [x](javascript:window.__xss='md') https://example.org/ok`;

let server: DraftServer;
let browser: Browser;
beforeAll(async () => {
  server = await serveDrafts();
  server.route('/hostile', HOSTILE);
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const open = (page: Page, path: string) => openOverlay(browser, page, server.origin + path);

describe('a hostile page', () => {
  it('learns no comment text or name, sees no key typed in the panel, and its synthetic clicks and keys change nothing', async () => {
    const page = await browser.context.newPage();
    const ui = await open(page, '/hostile');
    await selectText(page, PASSAGE);
    // The page got our element's shadow root, and the button in it: the reader's real click works…
    await expect.poll(() => page.evaluate(() => (window as unknown as { __roots(): ShadowRoot[] }).__roots().some((r) => !!r.querySelector('.add-comment')))).toBe(true);
    await ui.addComment();
    await ui.type('.name input', XSS_NAME);
    await ui.type('.new-comment textarea', XSS_BODY);
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 1, exact: true });
    // …and comment text and names render as text, in the panel.
    expect(await ui.texts('.thread .author')).toEqual([XSS_NAME]);
    expect(await ui.texts('.thread .body')).toEqual([XSS_BODY]);
    expect(await ui.count('.panel img, .panel script, .panel iframe, .panel [onerror]')).toBe(0);
    expect(await ui.evalAll('.thread .body a', 'function () { return this.href; }')).toEqual(['https://example.org/ok']);
    await expect.poll(() => highlightedTexts(page)).toEqual([PASSAGE]);

    // The page's attack: every button it can reach, Ctrl+Alt+M, a click on the highlight. A
    // highlight's click, had it counted, would take the panel's focus to its thread.
    const active = () => ui.withRoot<string>('(root) => { const a = root.activeElement; return a ? `${a.tagName.toLowerCase()}.${a.className}` : ""; }');
    await ui.focus('.filter-status');
    await selectText(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
    await page.waitForTimeout(300); // the "Add comment" button is back for this selection
    await page.evaluate(() => (window as unknown as { __attack(): void }).__attack());
    await page.evaluate(() => getSelection()!.removeAllRanges());
    await page.evaluate(() => (window as unknown as { __attack(): void }).__attack());
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __pressed: number }).__pressed)).toBeGreaterThan(0);
    expect(await ui.count('.new-comment')).toBe(0);
    expect(await ui.count('.thread')).toBe(1);
    expect(await active()).toMatch(/^select\.filter-status/);
    // A real click on the highlight does (so the check above could fail).
    await clickText(page, PASSAGE);
    await expect.poll(active).toMatch(/^article\.thread /);

    const seen = await page.evaluate(() => {
      const w = window as unknown as { __xss?: string; __keys: string[]; __roots(): ShadowRoot[] };
      const ours = w.__roots().map((r) => r.innerHTML).join('\n');
      const everything = [document.documentElement.outerHTML, ours, JSON.stringify([...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()])].join('\n');
      return {
        xss: w.__xss ?? null,
        keys: w.__keys.join(''),
        leaked: ['Mallory', 'example.org/ok', 'bold'].filter((s) => everything.includes(s)),
        highlights: [...(CSS as unknown as { highlights: Map<string, unknown> }).highlights.keys()].sort(),
      };
    });
    // Highlight names tell which passages carry a thread and which is selected: no id, no status.
    expect(seen).toEqual({ xss: null, keys: '', leaked: [], highlights: ['margins-focus'] });
    await page.close();
  });
});

// A single-page app: two routes rendered by script, history.pushState between them.
const SPA = `<!doctype html><title>SPA drafts</title><main></main><script>
const routes = { '/spa/one': '<h2>Route one</h2><p>The first draft says the roadmap is due in May.</p>', '/spa/two': '<h2>Route two</h2><p>The second draft is about something else.</p>' };
const render = () => { document.querySelector('main').innerHTML = routes[location.pathname]; };
window.go = (path) => { history.pushState(null, '', path); render(); };
addEventListener('popstate', render);
render();
</script>`;

describe('a single-page app', () => {
  it('follows the route: another draft has its own (no) review, and coming back brings the thread back', async () => {
    server.route('/spa/one', SPA);
    const page = await browser.context.newPage();
    const ui = await open(page, '/spa/one');
    await selectText(page, 'the roadmap is due in May');
    await ui.addComment();
    if (await ui.count('.name input')) await ui.type('.name input', 'Ana Chair');
    await ui.type('.new-comment textarea', 'Which May?');
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 1, exact: true });

    await page.evaluate(() => (window as unknown as { go(p: string): void }).go('/spa/two'));
    await ui.waitForText('.review-title', /No review of this draft yet/);
    expect(await ui.count('.thread')).toBe(0);
    expect(await highlightedTexts(page)).toEqual([]);

    await page.goBack();
    await ui.waitFor('.thread', { n: 1, exact: true });
    expect(await ui.texts('.review-title')).toEqual(['SPA drafts']);
    await expect.poll(() => highlightedTexts(page)).toEqual(['the roadmap is due in May']);
    await page.close();
  });
});

describe('accessibility', () => {
  it('the review panel has no axe-core violations with threads, filters, a composer and a resolution', async () => {
    const page = await browser.context.newPage();
    const ui = await open(page, '/mag-wg-mwp-2018-08-15.html'); // another draft, so its own review
    await selectText(page, 'The meeting summary below is organized according to the agreed agenda');
    await ui.addComment();
    if (await ui.count('.name input')) await ui.type('.name input', 'Ana Chair'); // (the profile may have a name already)
    await ui.type('.new-comment textarea', 'Support this.');
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 1, exact: true });
    await ui.click('.thread .resolve-button');
    await ui.click('.resolve button.primary');
    await ui.waitFor('.thread .history');
    await ui.click('.thread .history summary');
    await selectText(page, 'a poll of the IGF community could be helpful');
    await ui.addComment();
    await ui.click('.thread .reply-button');
    await ui.waitFor('textarea', { n: 2, exact: true });

    // The panel is an extension page (its CSP allows no injected script): axe goes in through the DevTools protocol.
    await ui.page.evaluate(AXE);
    const audit = await ui.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(el: Element): Promise<{ violations: { id: string; nodes: { html: string }[] }[]; passes: { id: string; nodes: unknown[] }[] }> } }).axe;
      const result = await axe.run(document.querySelector('main')!);
      const passed = (id: string) => result.passes.find((p) => p.id === id)?.nodes.length ?? 0;
      return {
        violations: result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html.slice(0, 120)) })),
        buttons: passed('button-name'),
        labels: passed('label'),
      };
    });
    expect(audit.violations).toEqual([]);
    // The audit saw the real panel: its buttons and form fields were checked, not skipped.
    expect(audit.buttons).toBeGreaterThanOrEqual(8);
    expect(audit.labels).toBeGreaterThanOrEqual(4);
    await page.close();
  });
});
