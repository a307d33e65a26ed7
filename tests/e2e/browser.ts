/**
 * Real Chromium with the built extension, driven by playwright-core. The toolbar button is
 * pressed through the DevTools Extensions.triggerAction command, which grants activeTab exactly
 * as a user's click does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

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

export async function launch(profile = newProfileDir()): Promise<Browser> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
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
      const tab = targetInfos.find((t) => t.url === page.url());
      if (!tab) throw new Error(`no tab target for ${page.url()}`);
      await browserSession.send('Extensions.triggerAction' as never, { id: extensionId, targetId: tab.targetId } as never);
    },
    close: () => context.close(),
  };
}
