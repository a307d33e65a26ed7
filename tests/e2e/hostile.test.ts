/**
 * The page is untrusted: its styles must not reach the sidebar, its scripts must not read our
 * data, and comment text and names from others must render as text. Plus an axe-core audit of
 * the sidebar in the state a chair sees it in.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, openOverlay, type Browser } from './browser';
import { DRAFTS, serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { highlightedTexts, selectText, Shadow } from './shadow';

const V1 = readFileSync(join(DRAFTS, 'programme-framework-v1.html'), 'utf8');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// Restyles everything, including every selector that could name our host element, and patches
// the DOM APIs a page would use to get at a closed shadow root or at our storage.
const HOSTILE = V1.replace(
  '</head>',
  `<style>
  * { font-size: 40px !important; color: #f0f !important; background: #000 !important; line-height: 5 !important; }
  div, aside, section, article, button, textarea, input, select, form, p, ol, li { all: unset !important; width: 5px !important; visibility: hidden !important; }
  margins-overlay, [data-margins-ui], html > :last-child, :host, :root > *:not(body):not(head) { display: none !important; opacity: 0 !important; }
  </style>
  <script>
  window.__captured = [];
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) { const r = attach.call(this, init); window.__captured.push(r); return r; };
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
  it('cannot restyle or hide the sidebar, read its data, or run script through a comment', async () => {
    const page = await browser.context.newPage();
    const ui = await open(page, '/hostile');
    const style = (sel: string) =>
      ui.evalAll<string>(sel, 'function () { const s = getComputedStyle(this); const r = this.getBoundingClientRect(); return [s.fontSize, s.visibility, Math.round(r.width)].join(" "); }');
    expect(await style('.sidebar')).toEqual(['14px visible 360']);

    await selectText(page, 'The host country requested further input on the Roadmap for 2018');
    await ui.click('.add-comment');
    await ui.type('.name input', XSS_NAME);
    await ui.type('.new-comment textarea', XSS_BODY);
    await page.keyboard.press('Control+Enter');
    await ui.waitFor('.thread');
    expect(await ui.texts('.thread .author')).toEqual([XSS_NAME]);
    expect(await ui.texts('.thread .body')).toEqual([XSS_BODY]);
    expect(await ui.count('img, script, iframe, [onerror]')).toBe(0);
    expect(await ui.evalAll('.thread .body a', 'function () { return this.href; }')).toEqual(['https://example.org/ok']);
    expect((await style('.thread button.quote'))[0]).toMatch(/^13px visible/);

    const seen = await page.evaluate(() => {
      const host = document.querySelector('margins-overlay');
      return {
        xss: (window as unknown as { __xss?: string }).__xss ?? null,
        captured: (window as unknown as { __captured: unknown[] }).__captured.length,
        shadowRoot: host ? host.shadowRoot : 'no host',
        pageText: document.documentElement.innerText.includes('example.org/ok'),
        hostHidden: host ? getComputedStyle(host).display === 'none' : true,
      };
    });
    expect(seen).toEqual({ xss: null, captured: 0, shadowRoot: null, pageText: false, hostHidden: false });
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
    await ui.click('.add-comment');
    if (await ui.count('.name input')) await ui.type('.name input', 'Ana Chair');
    await ui.type('.new-comment textarea', 'Which May?');
    await page.keyboard.press('Control+Enter');
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
  it('the sidebar has no axe-core violations with threads, filters, a composer and a resolution', async () => {
    const page = await browser.context.newPage();
    let ui = await open(page, '/mag-wg-mwp-2018-08-15.html'); // another draft, so its own review
    await selectText(page, 'The meeting summary below is organized according to the agreed agenda');
    await ui.click('.add-comment');
    if (await ui.count('.name input')) await ui.type('.name input', 'Ana Chair'); // (the profile may have a name already)
    await ui.type('.new-comment textarea', 'Support this.');
    await page.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: 1, exact: true });
    await ui.click('.thread .resolve-button');
    await ui.click('.resolve button.primary');
    await ui.waitFor('.thread .history');
    await ui.click('.thread .history summary');
    await selectText(page, 'a poll of the IGF community could be helpful');
    await ui.click('.add-comment');
    await ui.click('.thread .reply-button');
    await ui.waitFor('textarea', { n: 2, exact: true });

    await page.addScriptTag({ content: AXE });
    ui = await Shadow.of(page);
    // axe walks shadow trees through element.shadowRoot, which a closed root hides: hand it the
    // root and the sidebar for the audit (through the DevTools protocol; no page script can).
    const audit = await ui.withRoot<{ violations: { id: string; nodes: string[] }[]; buttons: number; labels: number }>(`async (root) => {
      Object.defineProperty(root.host, 'shadowRoot', { get: () => root, configurable: true });
      const result = await axe.run({ include: [root.querySelector('aside')] });
      const passed = (id) => result.passes.find((p) => p.id === id)?.nodes.length ?? 0;
      return {
        violations: result.violations.map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.html.slice(0, 120)) })),
        buttons: passed('button-name'),
        labels: passed('label'),
      };
    }`);
    expect(audit.violations).toEqual([]);
    // The audit saw the real sidebar: its buttons and form fields were checked, not skipped.
    expect(audit.buttons).toBeGreaterThanOrEqual(8);
    expect(audit.labels).toBeGreaterThanOrEqual(4);
    await page.close();
  });
});
