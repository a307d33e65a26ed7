/**
 * Real Chromium with the built extension, driven by playwright-core. The toolbar button is
 * pressed through the DevTools Extensions.triggerAction command, which grants activeTab exactly
 * as a user's click does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { serveDrafts, type DraftServer } from '../../scripts/serve-drafts.mjs';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { Panel } from './shadow';
import type { FakeClock } from './clock';

export const EXTENSION = fileURLToPath(new URL('../../.output/chrome-mv3', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Browser {
  context: BrowserContext;
  extensionId: string;
  profile: string;
  /** Press the Margins toolbar button on this page's tab. */
  clickToolbarButton(page: Page): Promise<void>;
  close(): Promise<void>;
}

export function newProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'margins-profile-'));
}

export interface LaunchOptions {
  /** The wall clock this browser reads, moved by the test. */
  clock?: FakeClock;
  /**
   * The user allowed Margins' notifications earlier. Chromium asks in a dialog that no test can
   * press; the profile is prepared as that answer leaves it, and the extension's own request for
   * the permission then resolves at once, as it would for this user.
   */
  notificationsAllowed?: boolean;
}

export async function launch(profile = newProfileDir(), options: LaunchOptions = {}): Promise<Browser> {
  if (options.notificationsAllowed) {
    const first = await launch(profile, { ...options, notificationsAllowed: false });
    await first.close();
    grantInProfile(profile, first.extensionId, 'notifications');
  }
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    ...(options.clock ? { env: { ...process.env, ...options.clock.env() } as Record<string, string> } : {}),
    headless: true,
    // WebRTC between two headless browsers on loopback gathers ICE candidates only with loopback
    // allowed and a media permission granted (docs/testing.md).
    permissions: ['microphone'],
    args: [
      '--allow-loopback-in-peer-connection',
      `--disable-extensions-except=${EXTENSION}`,
      `--load-extension=${EXTENSION}`,
      '--enable-unsafe-extension-debugging',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  let browserSession: CDPSession | null = null;
  return {
    context,
    extensionId,
    profile,
    async clickToolbarButton(page: Page) {
      browserSession ??= await context.browser()!.newBrowserCDPSession();
      const { targetInfos } = (await browserSession.send('Target.getTargets', { filter: [{ type: 'tab' }] } as never)) as unknown as {
        targetInfos: { targetId: string; url: string }[];
      };
      await page.bringToFront();
      // The tab is known by its address: two tabs at one address would be a test's mistake.
      const tabs = targetInfos.filter((t) => t.url === page.url());
      if (tabs.length !== 1) throw new Error(`expected one tab at ${page.url()}, found ${tabs.length} (give each its own #fragment)`);
      await browserSession.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tabs[0].targetId } as never);
    },
    close: () => context.close(),
  };
}

/** Asks a browser's hub through the extension's own port protocol (from an extension page). */
export async function hubRequest(browser: Browser, op: string, args: unknown = {}): Promise<any> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const value = await page.evaluate(
    async ([op, args]) => {
      const chromeApi = (globalThis as any).chrome;
      await chromeApi.runtime.sendMessage({ type: 'margins:ensure-hub' }); // a fresh profile has no hub yet
      const port = chromeApi.runtime.connect({ name: 'margins-hub' });
      const reply: any = await new Promise((resolve) => {
        port.onMessage.addListener((m: any) => m.t === 'res' && m.id === 9001 && resolve(m));
        port.onDisconnect.addListener(() => resolve({ ok: false, error: `port closed: ${chromeApi.runtime.lastError?.message}` }));
        port.postMessage({ t: 'req', id: 9001, op, args });
      });
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    },
    [op, args] as const,
  );
  await page.close();
  return value;
}

/** Records an optional permission as granted (and active) for the extension in a closed profile. */
function grantInProfile(profile: string, extensionId: string, permission: string): void {
  const file = join(profile, 'Default', 'Preferences');
  const prefs = JSON.parse(readFileSync(file, 'utf8'));
  const settings = prefs.extensions?.settings?.[extensionId];
  if (!settings?.granted_permissions?.api || !settings?.active_permissions?.api) throw new Error(`no permissions recorded for ${extensionId} in ${file}`);
  for (const set of [settings.granted_permissions.api, settings.active_permissions.api]) if (!set.includes(permission)) set.push(permission);
  writeFileSync(file, JSON.stringify(prefs));
}

/** The id the extension knows `page`'s tab by (its URL is readable once the toolbar button granted activeTab). */
export async function tabIdOf(browser: Browser, page: Page): Promise<number> {
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  const ids = await worker.evaluate(async (url) => {
    const c = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id: number; url?: string }[]> } } }).chrome;
    return (await c.tabs.query({})).filter((t) => t.url === url).map((t) => t.id);
  }, page.url());
  if (ids.length !== 1) throw new Error(`expected one tab at ${page.url()}, found ${ids.length}`);
  return ids[0];
}

const panels = new WeakMap<Page, Panel>();

/**
 * The review panel for `page`'s tab. Playwright cannot drive Chromium's real side panel, so the
 * panel page opens bound to the tab (`?tab=N`) in a window of its own beside the draft's, where
 * both stay visible, as the side panel and the draft are. One per draft tab, kept across reloads.
 */
export async function openPanel(browser: Browser, page: Page): Promise<Panel> {
  const known = panels.get(page);
  if (known && !known.page.isClosed()) return known;
  const url = `chrome-extension://${browser.extensionId}/sidepanel.html?tab=${await tabIdOf(browser, page)}`;
  const worker = browser.context.serviceWorkers()[0];
  const [panelPage] = await Promise.all([
    browser.context.waitForEvent('page', (p) => p.url() === url),
    worker.evaluate((u) => (globalThis as unknown as { chrome: { windows: { create(o: object): Promise<unknown> } } }).chrome.windows.create({ url: u, width: 420, height: 900, focused: false }), url),
  ]);
  await panelPage.waitForLoadState();
  const panel = await Panel.on(panelPage, page);
  panels.set(page, panel);
  return panel;
}

/** Loads `url` in `page`, presses the toolbar button, and waits for the review panel on it to be ready. */
export async function openOverlay(browser: Browser, page: Page, url: string): Promise<Panel> {
  await page.goto(url);
  await browser.clickToolbarButton(page);
  const ui = await openPanel(browser, page);
  await ui.waitFor('.panel:not(.no-page)');
  await ui.waitForText('.status', /open comment|Ready/);
  return ui;
}

/**
 * The chair creates a group in the options page, as a person would; returns the invite (link,
 * code) and the chair key's fingerprint shown there.
 */
export async function createGroup(browser: Browser, name: string, signaling: string): Promise<{ link: string; code: string; fingerprint: string }> {
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.extensionId}/options.html`);
  await options.fill('#group-name', name);
  await options.fill('#group-signaling', signaling);
  // "Test connection": the server answers, and the page says a loopback address serves this computer only.
  await options.click('.test-connection');
  await options.locator('.server-check.warn').getByText(/only this computer can reach this address/).waitFor();
  await options.click('button[type=submit]');
  const invite = {
    link: await options.locator('.invite-link').inputValue(),
    code: await options.locator('.invite-code').inputValue(),
    fingerprint: await options.locator('.group .fingerprint').innerText(),
  };
  await options.close();
  return invite;
}

/**
 * A member joins a group by opening its invite link, as they would from an email: the group
 * server's page, where pressing the Margins button opens the extension's join page.
 */
export async function joinByLink(member: Browser, link: string, name: string, groupName: string): Promise<void> {
  const landing = await member.context.newPage();
  await landing.goto(link);
  await landing.locator('#group').getByText(groupName).waitFor();
  const [join] = await Promise.all([member.context.waitForEvent('page', (p) => p.url().includes('/join.html#')), member.clickToolbarButton(landing)]);
  await landing.close();
  await join.waitForLoadState();
  await join.fill('#name', name);
  await join.click('button[type=submit]');
  await join.getByText(`You joined ${groupName}`).waitFor();
  await join.close();
}

/** What a one-browser test works with: the drafts and a Chromium (replaced if a test restarts it). */
export interface OneBrowser {
  drafts: DraftServer;
  browser: Browser;
}

/** For a test file: the draft server and one Chromium, started before its tests and closed after them. */
export function useOneBrowser(): OneBrowser {
  const env = {} as OneBrowser;
  beforeAll(async () => {
    env.drafts = await serveDrafts();
    env.browser = await launch();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.drafts?.close();
  });
  return env;
}

/** What a two-browser test works with: the drafts, a signaling server, a chair's and a member's Chromium. */
export interface TwoBrowsers {
  drafts: DraftServer;
  signaling: SignalingServer;
  chair: Browser;
  member: Browser;
}

/**
 * For a test file: the draft server, a signaling server and two Chromium processes (two separate
 * browsers, as peer-to-peer needs), started before its tests and closed after them. The fields
 * are filled in once the tests run.
 */
export function useTwoBrowsers(options: { clock?: FakeClock; member?: LaunchOptions } = {}): TwoBrowsers {
  const env = {} as TwoBrowsers;
  beforeAll(async () => {
    env.drafts = await serveDrafts();
    env.signaling = await startSignalingServer({ port: 0, quiet: true });
    const clock = options.clock ? { clock: options.clock } : {};
    [env.chair, env.member] = await Promise.all([launch(undefined, clock), launch(undefined, { ...clock, ...options.member })]);
  });
  afterAll(async () => {
    await Promise.all([env.chair?.close(), env.member?.close()]);
    await env.signaling?.close();
    await env.drafts?.close();
  });
  return env;
}
