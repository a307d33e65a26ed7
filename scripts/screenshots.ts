/**
 * `npm run screenshots`: drives the built extension in Chromium through a short review and writes
 * PNGs to docs/screenshots/ (shown in the README's "What it looks like").
 *
 * The review panel is an extension page that Chromium shows in its side panel, beside the draft;
 * Playwright cannot attach to the real side panel, so the panel page is opened bound to the draft's
 * tab in a window of its own (tests/e2e/browser.ts). Each picture is put together as the browser
 * shows it: for a window W px wide, the draft's (W − 360) px on the left and the panel's 360 px on
 * the right, side by side, nothing laid over the draft.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { inLoopbackNamespace } from '../bench/support';
import { launch, openOverlay } from '../tests/e2e/browser';
import { clickText, selectText, type Panel } from '../tests/e2e/shadow';
import { DRAFTS, serveDrafts } from './serve-drafts.mjs';

// As root, the browser runs in a network namespace with only loopback up (docs/testing.md).
inLoopbackNamespace(import.meta.url);

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

/** Chrome's side panel, as wide as it opens. */
const PANEL_WIDTH = 360;
const HEIGHT = 800;

const server = await serveDrafts();
server.route('/draft', readFileSync(join(DRAFTS, 'programme-framework-v1.html'), 'utf8'));
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.context().addInitScript('globalThis.__name = (f) => f');
  const sheet = await browser.context.newPage(); // where the two halves are put side by side
  /** The draft's viewport as a window `width` px wide shows it beside the side panel. */
  const draftIn = (width: number) => page.setViewportSize({ width: width - PANEL_WIDTH, height: HEIGHT });
  await draftIn(1280);

  const open = async () => {
    const ui = await openOverlay(browser, page, `${server.origin}/draft`);
    await ui.page.setViewportSize({ width: PANEL_WIDTH, height: HEIGHT });
    return ui;
  };
  const comment = async (ui: Panel, passage: string, body: string) => {
    const n = await ui.count('.thread');
    await selectText(page, passage);
    await ui.addComment();
    if (await ui.count('.name input')) await ui.type('.name input', 'Chengetai (Chair)');
    await ui.type('.new-comment textarea', body);
    await ui.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: n + 1, exact: true });
  };
  /**
   * The draft and the panel as a window `width` px wide shows them: the draft's viewport on the left,
   * the panel's on the right, with a 1 px rule on the panel's blank left edge. Written to each of `names`.
   */
  const shoot = async (ui: Panel, width: number, ...names: string[]) => {
    await draftIn(width);
    await page.waitForTimeout(300); // the draft lays itself out again at this width
    const [draft, panel] = [await page.screenshot(), await ui.page.screenshot()];
    const src = (png: Buffer) => `data:image/png;base64,${png.toString('base64')}`;
    await sheet.setViewportSize({ width, height: HEIGHT });
    await sheet.setContent(
      `<!doctype html><style>
        html, body { margin: 0; overflow: hidden; }
        body { display: flex; width: ${width}px; height: ${HEIGHT}px; }
        img { display: block; height: ${HEIGHT}px; flex: none; }
        .panel { position: relative; }
        .panel::before { content: ''; position: absolute; inset: 0 auto 0 0; width: 1px; background: #c4c7c5; }
      </style>
      <img class="draft" width="${width - PANEL_WIDTH}" src="${src(draft)}"><div class="panel"><img width="${PANEL_WIDTH}" src="${src(panel)}"></div>`,
    );
    await sheet.evaluate(() => Promise.all([...document.images].map((img) => img.decode())));
    const png = await sheet.screenshot();
    for (const name of names) writeFileSync(join(OUT, name), png);
  };
  const scrollDraftTop = async (p: Page) => {
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.waitForTimeout(300);
  };

  let ui = await open();
  await comment(ui, 'Best Practice Forums proposed to strengthen the meeting calendar', 'Which calendar is meant here: the MAG meetings or the intersessional calls?\nSee https://www.intgovforum.org for last year.');
  await comment(ui, 'The host country requested further input on the Roadmap for 2018', 'Please name the input requested, and by when.');
  await comment(ui, 'The Chair stressed the importance of the Option Paper on Methodologies by the end of the review period', 'Support; a date would help.');
  await ui.click('.thread .reply-button');
  await ui.type('.thread .composer textarea', 'Agreed — by the August meeting.');
  await ui.keyboard.press('Control+Enter');
  await ui.waitForText('.thread', /by the August meeting/);
  // The reader clicks a highlight in the draft: the panel selects its thread.
  await clickText(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
  await ui.waitFor('.thread.selected');
  await scrollDraftTop(page);
  await ui.evalAll('.thread.selected', "function () { this.scrollIntoView({ block: 'nearest' }); }");
  await shoot(ui, 1280, 'open-thread.png');
  await ui.withRoot('(doc) => doc.scrollingElement.scrollTo(0, 0)'); // the panel from its top: the review, its filters, the threads
  await shoot(ui, 1280, 'panel-1280.png');
  await draftIn(900);
  await scrollDraftTop(page);
  await shoot(ui, 900, 'panel-900.png');
  await draftIn(1280);
  await scrollDraftTop(page);

  await ui.click('.thread .resolve-button');
  await ui.focus('.resolve select');
  await ui.keyboard.press('ArrowDown');
  await ui.type('.resolve textarea', 'Reworded in v2 to name the intersessional calls.');
  await ui.click('.resolve button.primary');
  await ui.waitForText('.thread .resolution', /Accepted with changes/);
  await ui.click('.thread .history summary');
  await shoot(ui, 1280, 'resolved-thread.png');

  server.route('/draft', readFileSync(join(DRAFTS, 'programme-framework-v2.html'), 'utf8'));
  ui = await open();
  await ui.waitFor('.tab-orphans');
  await ui.click('.tab-orphans');
  await ui.waitFor('.thread.orphan');
  await scrollDraftTop(page);
  await shoot(ui, 1280, 'orphans-tab.png');
  // The review period, closing soon, and the dashboards that follow it.
  const closes = new Date(Date.now() + 30 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${closes.getFullYear()}-${pad(closes.getMonth() + 1)}-${pad(closes.getDate())}T${pad(closes.getHours())}:${pad(closes.getMinutes())}`;
  await ui.click('.period-form summary');
  await ui.evalAll('.period-form .closes', `function () { this.value = '${local}'; this.dispatchEvent(new Event('input', { bubbles: true })); }`);
  await ui.evalAll('.period-form .reason', "function () { this.value = 'As agreed at the MAG call'; this.dispatchEvent(new Event('input', { bubbles: true })); }");
  await ui.click('.save-period');
  await ui.waitForText('.period', /Closing soon/);

  const popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 400, height: 560 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.locator('.review .period').first().waitFor();
  await popup.screenshot({ path: join(OUT, 'dashboard-popup.png') });
  const full = await browser.context.newPage();
  await full.setViewportSize({ width: 1000, height: 900 });
  await full.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
  await full.locator('.review .details').first().waitFor();
  await full.screenshot({ path: join(OUT, 'dashboard-full.png'), fullPage: true });
  console.log(`Wrote panel-1280.png, panel-900.png, open-thread.png, resolved-thread.png, orphans-tab.png, dashboard-popup.png, dashboard-full.png to ${OUT}`);
} finally {
  await browser.close();
  await server.close();
}
