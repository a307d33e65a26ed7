/**
 * The service worker (Chrome) or background page (Firefox): makes sure the hub exists.
 * On Chrome the hub is an offscreen document, because a service worker has no RTCPeerConnection
 * and is stopped when idle; on Firefox the background page is long-lived and has both, so it is
 * the hub. The toolbar button opens the popup, which injects the overlay (activeTab).
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { ENSURE_HUB } from '../lib/extension/hub-port';

const OFFSCREEN_PATH = '/offscreen.html';
let ensuring: Promise<void> | null = null;
let firefoxHub: Promise<unknown> | null = null;

/**
 * Single-flight: concurrent callers share one check-and-create. Otherwise a second caller can see
 * the offscreen document listed while it is still loading and connect before the hub listens.
 */
function ensureHub(): Promise<void> {
  if (import.meta.env.FIREFOX) {
    firefoxHub ??= import('../lib/extension/start-hub').then(({ startHub }) => startHub());
    return firefoxHub.then(() => undefined);
  }
  ensuring ??= (async () => {
    const url = browser.runtime.getURL(OFFSCREEN_PATH);
    const contexts = await browser.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
    if (contexts.length) return;
    await browser.offscreen.createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['WEB_RTC'],
      justification: 'Keeps reviews in IndexedDB and syncs them with peers over WebRTC.',
    });
  })().finally(() => (ensuring = null));
  return ensuring;
}

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((message: unknown, _sender, sendResponse) => {
    if ((message as { type?: string })?.type !== ENSURE_HUB) return;
    ensureHub().then(
      () => sendResponse({ ok: true }),
      (error: Error) => sendResponse({ ok: false, error: error.message }),
    );
    return true;
  });
  if (import.meta.env.FIREFOX) void ensureHub();
});
