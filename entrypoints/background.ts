/**
 * The service worker (Chrome) or background page (Firefox): makes sure the hub exists.
 * On Chrome the hub is an offscreen document, because a service worker has no RTCPeerConnection
 * and is stopped when idle; on Firefox the background page is long-lived and has both, so it is
 * the hub. The toolbar button opens the popup (the dashboard), which puts the page agent in the tab
 * (activeTab) and opens the review panel; the context menu entry and the keyboard command do both
 * too and ask for a comment on the selection. None of them ever tears anything down.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { i18n } from '#i18n';
import { ENSURE_HUB } from '../lib/extension/hub-port';
import { canAnnotate, injectOverlay, OVERLAY_SCRIPT } from '../lib/extension/inject-overlay';
import { COMMENT_ON_SELECTION } from '../lib/extension/intents';
import { openPanel } from '../lib/extension/open-panel';
import { OPEN_PANEL } from '../lib/page/link';
import { syncSiteScripts, type SiteAccessApi } from '../lib/extension/site-access';
import { exportPageUrl, OPEN_EXPORT } from '../lib/extension/open-export';
import { EXTENSION_ACCESS } from '../lib/hub/port-access';
import { CHECK_REMINDERS, checkReminders, NOTIFICATIONS, REMINDER_ALARM, scheduleReminders } from '../lib/extension/reminders';
import { HUB_PORT } from '../lib/extension/hub-port';
import { HubLink } from '../lib/sync/hub-link';
import { portPair, type PortLike } from '../lib/sync/port';
import type { Hub } from '../lib/hub/hub';

const OFFSCREEN_PATH = '/offscreen.html';
let ensuring: Promise<void> | null = null;
let firefoxHub: Promise<Hub> | null = null;

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

/** The background's own connection to the hub, for reminders (on Firefox the hub lives here). */
let client: HubLink | null = null;
function hub(): HubLink {
  client ??= new HubLink(async () => {
    await ensureHub();
    if (firefoxHub) {
      const [mine, theirs] = portPair();
      (await firefoxHub).connect(theirs, EXTENSION_ACCESS); // the background itself
      return mine;
    }
    return browser.runtime.connect({ name: HUB_PORT }) as unknown as PortLike;
  }).start();
  return client;
}

const remind = () => checkReminders(hub()).catch((e: Error) => console.warn('Margins: reminders', e.message));

const MENU_ID = 'margins-comment';
const COMMAND = 'comment-on-selection';

/** Both gestures grant activeTab for the tab, like the toolbar button. */
async function commentOnSelection(tab: { id?: number; url?: string } | undefined): Promise<void> {
  if (tab?.id === undefined || !canAnnotate(tab.url)) return;
  // Inside the gesture, before anything is awaited: the browser refuses it afterwards.
  const opening = openPanel({ tabId: tab.id }).catch((e: Error) => console.warn('Margins: panel', e.message));
  await injectOverlay(tab.id);
  await browser.tabs.sendMessage(tab.id, { type: COMMENT_ON_SELECTION });
  await opening;
}

const syncSites = () => syncSiteScripts(browser as unknown as SiteAccessApi, OVERLAY_SCRIPT).catch((e: Error) => console.warn('Margins: site access', e.message));

export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => {
    browser.contextMenus.create({ id: MENU_ID, title: i18n.t('commentOnSelection'), contexts: ['selection'] });
    void syncSites();
  });
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === MENU_ID) commentOnSelection(tab).catch((e: Error) => console.warn('Margins:', e.message));
  });
  browser.commands.onCommand.addListener((command, tab) => {
    if (command === COMMAND) commentOnSelection(tab).catch((e: Error) => console.warn('Margins:', e.message));
  });
  // Granted in the popup, revoked in the options page or the browser's settings.
  browser.permissions.onAdded.addListener(() => void syncSites());
  browser.permissions.onRemoved.addListener(() => void syncSites());

  void scheduleReminders();
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === REMINDER_ALARM) void remind();
  });
  // A browser opened after a night off hears what fell due at once: the browser holds a missed
  // alarm back for a minute after start-up. (An extension loaded from the command line, or just
  // updated, is told onInstalled at start-up instead of onStartup.)
  browser.runtime.onStartup.addListener(() => void remind());
  browser.runtime.onInstalled.addListener(() => void remind());
  // A reminder's notification opens the dashboard. The notifications API is only looked at once
  // the permission is there: Firefox keeps a namespace first read without it missing for good.
  let listening = false;
  const listenToClicks = async () => {
    if (listening || !(await browser.permissions.contains(NOTIFICATIONS))) return;
    listening = true;
    browser.notifications.onClicked.addListener(() => void browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') }));
  };
  void listenToClicks();
  browser.permissions.onAdded.addListener(() => void listenToClicks());

  browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse) => {
    if ((message as { type?: string })?.type === CHECK_REMINDERS) {
      remind().then((due) => sendResponse({ ok: true, due: due ? due.length : 0 }));
      return true;
    }
    // The reader's own click or key in a draft (the page agent checked it was trusted).
    if ((message as { type?: string })?.type === OPEN_PANEL) {
      if (sender.tab?.id !== undefined) openPanel({ tabId: sender.tab.id }).catch((e: Error) => console.warn('Margins: panel', e.message));
      return;
    }
    if ((message as { type?: string })?.type === OPEN_EXPORT) {
      const url = exportPageUrl(message);
      if (url) void browser.tabs.create({ url });
      return;
    }
    if ((message as { type?: string })?.type !== ENSURE_HUB) return;
    ensureHub().then(
      () => sendResponse({ ok: true }),
      (error: Error) => sendResponse({ ok: false, error: error.message }),
    );
    return true;
  });
  if (import.meta.env.FIREFOX) void ensureHub();
});
