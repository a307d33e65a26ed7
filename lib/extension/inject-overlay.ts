/** Puts the overlay into a tab. Needs activeTab (granted by the toolbar click) or host permission. */
import { browser } from 'wxt/browser';

export const OVERLAY_SCRIPT = '/content-scripts/overlay.js';

/** Injections under way, by tab: a second trigger waits for the first instead of probing alongside it. */
const inFlight = new Map<number, Promise<void>>();

/** Throws when the browser refuses or the overlay fails to start, with the browser's reason. */
export function injectOverlay(tabId: number): Promise<void> {
  const previous = inFlight.get(tabId) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => injectOnce(tabId));
  inFlight.set(tabId, next);
  void next.catch(() => {}).finally(() => {
    if (inFlight.get(tabId) === next) inFlight.delete(tabId);
  });
  return next;
}

async function injectOnce(tabId: number): Promise<void> {
  // Already there: nothing to do. Injecting again would end the running copy (WXT stops a content
  // script's older copy when a newer one starts) while the newer one stops at its guard, and the
  // sidebar would be gone until a reload. The probe runs in the content scripts' own world.
  const [probe] = await browser.scripting.executeScript({ target: { tabId }, func: () => Boolean((window as unknown as Record<symbol, unknown>)[Symbol.for('margins.overlay')]) });
  if (probe?.result === true) return;
  const results = await browser.scripting.executeScript({ target: { tabId }, files: [OVERLAY_SCRIPT] });
  // Firefox reports an exception thrown by the injected script here instead of rejecting.
  const failed = results.find((r) => (r as { error?: unknown }).error !== undefined) as { error?: unknown } | undefined;
  if (failed) throw new Error(String((failed.error as Error)?.message ?? failed.error));
}

/** The overlay opens on web pages and local files, never on browser or extension pages. */
export function canAnnotate(url: string | undefined): boolean {
  return !!url && /^(https?|file):/.test(url);
}
