/**
 * `npm run screenshots`: drives the built extension in Chromium through a short review and writes
 * PNGs of the sidebar to docs/screenshots/ (shown in the README's "What it looks like").
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openOverlay } from '../tests/e2e/browser';
import { clickText, selectText, Shadow } from '../tests/e2e/shadow';
import { DRAFTS, serveDrafts } from './serve-drafts.mjs';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');
mkdirSync(OUT, { recursive: true });

const server = await serveDrafts();
server.route('/draft', readFileSync(join(DRAFTS, 'programme-framework-v1.html'), 'utf8'));
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.context().addInitScript('globalThis.__name = (f) => f');
  const open = () => openOverlay(browser, page, `${server.origin}/draft`);
  const comment = async (ui: Shadow, passage: string, body: string) => {
    const n = await ui.count('.thread');
    await selectText(page, passage);
    await ui.click('.add-comment');
    if (await ui.count('.name input')) await ui.type('.name input', 'Chengetai (Chair)');
    await ui.type('.new-comment textarea', body);
    await page.keyboard.press('Control+Enter');
    await ui.waitFor('.thread', { n: n + 1, exact: true });
  };

  let ui = await open();
  await comment(ui, 'Best Practice Forums proposed to strengthen the meeting calendar', 'Which calendar is meant here: the MAG meetings or the intersessional calls?\nSee https://www.intgovforum.org for last year.');
  await comment(ui, 'The host country requested further input on the Roadmap for 2018', 'Please name the input requested, and by when.');
  await comment(ui, 'The Chair stressed the importance of the Option Paper on Methodologies by the end of the review period', 'Support; a date would help.');
  await ui.click('.thread .reply-button');
  await ui.type('.thread .composer textarea', 'Agreed — by the August meeting.');
  await page.keyboard.press('Control+Enter');
  await ui.waitForText('.thread', /by the August meeting/);
  await clickText(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(OUT, 'open-thread.png') });

  await ui.click('.thread .resolve-button');
  await ui.focus('.resolve select');
  await page.keyboard.press('ArrowDown');
  await ui.type('.resolve textarea', 'Reworded in v2 to name the intersessional calls.');
  await ui.click('.resolve button.primary');
  await ui.waitForText('.thread .resolution', /Accepted with changes/);
  await ui.click('.thread .history summary');
  await page.screenshot({ path: join(OUT, 'resolved-thread.png') });

  server.route('/draft', readFileSync(join(DRAFTS, 'programme-framework-v2.html'), 'utf8'));
  ui = await open();
  await ui.waitFor('.tab-orphans');
  await ui.click('.tab-orphans');
  await ui.waitFor('.thread.orphan');
  await page.screenshot({ path: join(OUT, 'orphans-tab.png') });
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
  console.log(`Wrote open-thread.png, resolved-thread.png, orphans-tab.png, dashboard-popup.png, dashboard-full.png to ${OUT}`);
} finally {
  await browser.close();
  await server.close();
}
