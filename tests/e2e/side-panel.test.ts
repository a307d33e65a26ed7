/**
 * Chromium's real side panel. Playwright cannot attach to it, but the extension can see it
 * (`runtime.getContexts`) and the draft shows whether a panel is bound (highlights are painted only
 * then): the reader's click on "Add comment", with no panel open, opens the side panel, which
 * binds to the tab it sits beside.
 */
import { expect, it } from 'vitest';
import { openOverlay, useOneBrowser } from './browser';
import { firstComment, highlightedTexts, selectText } from './shadow';

const env = useOneBrowser();
const PASSAGE = 'The host country requested further input on the Roadmap for 2018';

async function sidePanels(): Promise<string[]> {
  const worker = env.browser.context.serviceWorkers()[0];
  return worker.evaluate(async () => {
    const c = (globalThis as unknown as { chrome: { runtime: { getContexts(f: object): Promise<{ documentUrl?: string }[]> } } }).chrome;
    return (await c.runtime.getContexts({ contextTypes: ['SIDE_PANEL'] })).map((x) => new URL(x.documentUrl ?? '').pathname);
  });
}

it("opens the browser's side panel on the reader's click on Add comment, bound to the draft beside it", async () => {
  const page = await env.browser.context.newPage();
  const ui = await openOverlay(env.browser, page, `${env.drafts.origin}/programme-framework-v1.html`);
  await firstComment(page, ui, PASSAGE, 'Ana Chair', 'Whose input?');
  await expect.poll(() => highlightedTexts(page)).toEqual([PASSAGE]);

  // No panel any more: the draft keeps no highlight.
  await ui.page.close();
  await expect.poll(() => highlightedTexts(page)).toEqual([]);
  expect(await sidePanels()).toEqual([]);

  // The reader's own click on "Add comment" opens the side panel, which finds this tab's agent.
  await page.bringToFront();
  await selectText(page, 'Best Practice Forums proposed to strengthen the meeting calendar');
  await ui.addComment();
  await expect.poll(sidePanels, { timeout: 10_000 }).toEqual(['/sidepanel.html']);
  await expect.poll(() => highlightedTexts(page), { timeout: 10_000 }).toEqual([PASSAGE]);
});
