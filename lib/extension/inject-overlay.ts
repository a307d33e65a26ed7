/** Puts the overlay into a tab. Needs activeTab (granted by the toolbar click) or host permission. */
import { browser } from 'wxt/browser';

export const OVERLAY_SCRIPT = '/content-scripts/overlay.js';

export async function injectOverlay(tabId: number): Promise<void> {
  await browser.scripting.executeScript({ target: { tabId }, files: [OVERLAY_SCRIPT] });
}

/** The overlay opens on web pages and local files, never on browser or extension pages. */
export function canAnnotate(url: string | undefined): boolean {
  return !!url && /^(https?|file):/.test(url);
}
