/** How the review panel reaches the page agent in a tab (see lib/page/link). */
import { browser } from 'wxt/browser';
import type { PageInfo } from '../page/agent';
import { PAGE_PORT, PageLink } from '../page/link';
import type { PortLike } from '../sync/port';

const ANSWER_MS = 3000;

/**
 * A line to the tab's page agent, with what the page first said of itself; null when the tab has
 * no agent (Margins was not opened there, or the page navigated since). A port to a tab where
 * nobody listens closes at once; the first request tells the two apart.
 */
export async function connectToPage(tabId: number): Promise<{ link: PageLink; info: PageInfo } | null> {
  let link: PageLink;
  try {
    // The agent runs in the top frame only.
    link = new PageLink(browser.tabs.connect(tabId, { name: PAGE_PORT, frameId: 0 }) as unknown as PortLike);
  } catch {
    return null;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ANSWER_MS)));
  const answer = await Promise.race([link.request('info', {}).catch(() => null), timeout]);
  clearTimeout(timer);
  if (answer) return { link, info: answer };
  link.close();
  return null;
}
