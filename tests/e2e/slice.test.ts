import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launch, newProfileDir, openOverlay, openPanel, type Browser } from './browser';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { highlightedTexts, selectText, type Panel } from './shadow';

const PASSAGE = 'The host country requested further input on the Roadmap for 2018';

let server: DraftServer;
beforeAll(async () => {
  server = await serveDrafts();
});
afterAll(() => server?.close());

async function openDraft(browser: Browser, path = '/programme-framework-v1.html'): Promise<{ page: Page; ui: Panel }> {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  return { page, ui: await openOverlay(browser, page, server.origin + path) };
}

async function dashboard(browser: Browser): Promise<string[]> {
  const popup = await browser.context.newPage();
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await popup.locator('.review').first().waitFor();
  const rows = await popup.locator('.review').allInnerTexts();
  await popup.close();
  return rows;
}

describe('the first slice: comment, highlight, persist', () => {
  const profile = newProfileDir();

  it('comments on a selected passage and highlights it', async () => {
    const browser = await launch(profile);
    try {
      const { page, ui } = await openDraft(browser);
      expect(await ui.texts('.review-title')).toEqual([expect.stringMatching(/No review of this draft yet/)]);
      await selectText(page, PASSAGE);
      await ui.addComment();
      await ui.type('.name input', 'Ana Chair');
      await ui.type('.new-comment textarea', 'Which input, and from whom?');
      await ui.keyboard.press('Control+Enter');
      await ui.waitFor('.thread', { n: 1, exact: true });
      expect(await ui.texts('.thread .comment .author')).toEqual(['Ana Chair']);
      expect(await ui.texts('.thread .body')).toEqual(['Which input, and from whom?']);
      expect(await ui.texts('.review-title')).toEqual(['Proposal for an IGF Programme Framework']);
      await ui.waitForText('.status', /^1 open comment$/);
      expect(await highlightedTexts(page)).toEqual([PASSAGE]);
    } finally {
      await browser.close();
    }
  });

  it('brings the comment and highlight back after a reload, and lists the review in the popup', async () => {
    const browser = await launch(profile);
    try {
      const { page, ui } = await openDraft(browser);
      // The agent goes with the page; the panel puts it back (the toolbar's grant holds for the
      // tab's own origin) and binds again, without another press.
      await page.reload();
      const again = await openPanel(browser, page); // the same panel
      expect(again).toBe(ui);
      await again.waitFor('.thread', { n: 1, exact: true });
      expect(await again.texts('.thread .body')).toEqual(['Which input, and from whom?']);
      expect(await highlightedTexts(page)).toEqual([PASSAGE]);
      // Every review is one click away from the panel.
      const [board] = await Promise.all([browser.context.waitForEvent('page', (p) => p.url().includes('/dashboard.html')), again.click('.open-dashboard')]);
      await board.locator('.review').first().waitFor();
      expect(await board.locator('.review').first().innerText()).toMatch(/Proposal for an IGF Programme Framework/);
      await board.close();
      const rows = await dashboard(browser);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(/Proposal for an IGF Programme Framework/);
      expect(rows[0]).toMatch(/1 open · 0 resolved/);
    } finally {
      await browser.close();
    }
  });

  it('keeps everything across a browser restart with the same profile', async () => {
    const browser = await launch(profile);
    try {
      const { page, ui } = await openDraft(browser);
      await ui.waitFor('.thread', { n: 1, exact: true });
      expect(await ui.texts('.thread .author')).toEqual(['Ana Chair']);
      expect(await highlightedTexts(page)).toEqual([PASSAGE]);
      // A second comment in this session, then a reply, to show the restarted hub writes too.
      await selectText(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
      await ui.addComment();
      await ui.type('.new-comment textarea', 'Support this.');
      await ui.click('.new-comment button.primary');
      await ui.waitFor('.thread', { n: 2, exact: true });
      // The hub's page goes away (Chrome may close an offscreen document): the overlay reconnects.
      const worker = browser.context.serviceWorkers()[0];
      await worker.evaluate(() => (globalThis as unknown as { chrome: { offscreen: { closeDocument(): Promise<void> } } }).chrome.offscreen.closeDocument());
      await ui.waitForText('.status', /Connecting/);
      await ui.click('.thread .reply-button');
      await ui.type('.thread textarea', 'Noted, thanks.');
      await ui.keyboard.press('Control+Enter');
      await ui.waitForText('.thread', /Noted, thanks\./);
      expect((await dashboard(browser))[0]).toMatch(/2 open · 0 resolved/);
    } finally {
      await browser.close();
    }
  });
});
