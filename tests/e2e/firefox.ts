/**
 * Real Firefox (Debian's ESR) with the built extension, driven by puppeteer-core over WebDriver
 * BiDi. Three things a test needs are not in the standard protocol, and come from Firefox's own
 * parent-process code, reachable with `-remote-allow-system-access` through Marionette
 * (marionette.ts; docs/testing.md):
 * - pressing the toolbar button: Firefox's browser-action code, which grants activeTab exactly
 *   as a click does;
 * - the extension pages' address: the moz-extension UUID is fixed through a preference;
 * - the page agent's closed shadow root: BiDi serialises it on request (`includeShadowTree: 'all'`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Browser as Browsers, createProfile } from '@puppeteer/browsers';
import puppeteer, { type Browser, type ConnectionTransport, type Page } from 'puppeteer-core';
import WebSocket from 'ws';
import { GECKO_ID } from '../../lib/extension/gecko-id';
import { Marionette } from './marionette';
import { selectInPage } from './shadow';

export const FIREFOX_EXTENSION = fileURLToPath(new URL('../../.output/firefox-mv2', import.meta.url));
export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** The extension's moz-extension host, fixed for the tests. */
export const UUID = '6d0f1c8e-3f0b-4d3a-9c8e-1f2a3b4c5d6e';

interface BidiConnection {
  send(method: string, params: unknown): Promise<{ result: any }>;
}

export interface ExtensionPage {
  /** Evaluates `expression` in the page (awaiting a promise); returns a JSON-able result. */
  evaluate(expression: string): Promise<unknown>;
  /** A real (trusted) mouse click on the first element matching `selector`: user input, as permission requests need. */
  click(selector: string): Promise<void>;
}

export interface Firefox {
  browser: Browser;
  /** The extension page at `path` (for example `/popup.html`). */
  extensionUrl(path: string): string;
  /**
   * Opens an extension page in a new tab and returns a way to evaluate expressions in it. BiDi may
   * not navigate to moz-extension: URLs (and puppeteer does not follow such a tab), so the browser
   * window opens the tab itself, as a link the extension opened would, and the page is reached by
   * its BiDi context.
   */
  openExtensionPage(path: string): Promise<ExtensionPage>;
  /** The extension page the extension itself just opened in a tab, at an address starting with `prefix`. */
  extensionPageOpened(prefix: string): Promise<ExtensionPage>;
  /** Press the Margins toolbar button with `page`'s tab selected. */
  clickToolbarButton(page: Page): Promise<void>;
  /**
   * The review panel bound to `page`'s tab, in a window of its own beside the draft's (a test
   * cannot open Firefox's sidebar: that needs the user's own input). One per tab, kept.
   */
  openPanel(page: Page): Promise<FirefoxPanel>;
  /**
   * Replaces the system's alerts service with one that records the notifications shown (a headless
   * window has no notification area, and Firefox forgets a notification its alert never showed).
   * Returns a way to read what was shown: [name, title, text] each.
   */
  recordNotifications(): Promise<() => Promise<[string, string, string][]>>;
  close(): Promise<void>;
}

/** The line of Firefox's output that says where its BiDi server listens. */
const BIDI_LISTENING = /WebDriver BiDi listening on (ws:\/\/\S+)/;

/**
 * Starts Firefox with both remote protocols: Marionette creates the WebDriver session (BiDi too,
 * with `webSocketUrl`) and puppeteer attaches to it. Puppeteer cannot simply launch it: its own
 * BiDi session would be the only one allowed, and Marionette, which is what still reaches the
 * chrome scope, cannot run scripts in a session BiDi created (it has no script timeout).
 */
async function startFirefox(profile: string, preferences: Record<string, unknown>): Promise<{ browser: Browser; marionette: Marionette; process: ChildProcess }> {
  // The automation preferences puppeteer's own launch writes, and ours; Marionette on a free port.
  await createProfile(Browsers.FIREFOX, { path: profile, preferences: { ...preferences, 'fission.webContentIsolationStrategy': 0, 'marionette.port': 0 } });
  rmSync(join(profile, 'MarionetteActivePort'), { force: true }); // left by an earlier run on this profile
  const child = spawn(FIREFOX, ['--no-remote', '--headless', '--profile', profile, '--remote-debugging-port=0', '-marionette', '-remote-allow-system-access', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    return await attach(child, profile);
  } catch (error) {
    child.kill('SIGKILL'); // not left running by a start that failed
    throw error;
  }
}

async function attach(child: ChildProcess, profile: string): Promise<{ browser: Browser; marionette: Marionette; process: ChildProcess }> {
  const portFile = join(profile, 'MarionetteActivePort');
  // Read until the BiDi server is up (or Firefox gives up), then only drained: the output of a
  // whole test run is neither kept nor searched.
  let output = '';
  const read = (chunk: Buffer) => void (output += chunk.toString('utf8'));
  child.stderr!.on('data', read);
  const bidiServer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Firefox did not start its BiDi server: ${output.slice(-2_000)}`)), 30_000);
    const look = () => {
      const found = BIDI_LISTENING.exec(output);
      if (!found) return;
      clearTimeout(timer);
      child.stderr!.off('data', look);
      resolve(found[1]);
    };
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`Firefox exited (${code}): ${output.slice(-2_000)}`)));
  }).finally(() => child.stderr!.off('data', read));
  child.stderr!.resume(); // drained from now on
  for (const deadline = Date.now() + 30_000; !existsSync(portFile) || !readFileSync(portFile, 'utf8').trim(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error('Firefox did not start Marionette');
  }
  const marionette = await Marionette.connect(Number(readFileSync(portFile, 'utf8')));
  // Marionette takes the capabilities themselves as the command's parameters.
  const session = await marionette.send<{ sessionId: string; capabilities: { webSocketUrl?: string } }>('WebDriver:NewSession', {
    webSocketUrl: true,
    unhandledPromptBehavior: 'ignore',
  });
  const url = session.capabilities.webSocketUrl;
  if (!url?.startsWith(bidiServer.replace(/\/+$/, ''))) throw new Error(`no BiDi address for the session (${url})`);
  const browser = await puppeteer.connect({ transport: await sessionTransport(url, session), protocol: 'webDriverBiDi' });
  return { browser, marionette, process: child };
}

/**
 * The session's BiDi socket, as puppeteer's transport. Puppeteer starts by asking for a new
 * session; the session exists already, so that one answer is made here.
 */
async function sessionTransport(url: string, session: { sessionId: string; capabilities: object }): Promise<ConnectionTransport> {
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => socket.once('open', () => resolve()).once('error', reject));
  const transport: ConnectionTransport = {
    send(message: string) {
      const { id, method } = JSON.parse(message) as { id: number; method: string };
      if (method !== 'session.new') return void socket.send(message);
      setTimeout(() => transport.onmessage?.(JSON.stringify({ type: 'success', id, result: session })), 0);
    },
    close: () => socket.close(),
  };
  socket.on('message', (data) => transport.onmessage?.(data.toString()));
  socket.on('close', () => transport.onclose?.());
  return transport;
}

export async function launchFirefox(profile = mkdtempSync(join(tmpdir(), 'margins-firefox-'))): Promise<Firefox> {
  const { browser, marionette, process: child } = await startFirefox(profile, {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: UUID }),
    // WebRTC between browsers on one machine: real addresses, no mDNS names nothing resolves.
    'media.peerconnection.ice.obfuscate_host_addresses': false,
    'media.peerconnection.ice.loopback': true,
    // Optional permissions asked for with a click are granted without the prompt a headless window cannot show.
    'extensions.webextOptionalPermissionPrompts': false,
  });
  await browser.installExtension(FIREFOX_EXTENSION);
  const bidi = (browser as unknown as { connection: BidiConnection }).connection;

  let inChromeWindow: Promise<void> | null = null;
  /** Evaluates `expression` in the browser window's privileged (chrome) scope, through Marionette. */
  async function inChrome(expression: string): Promise<unknown> {
    inChromeWindow ??= (async () => {
      await marionette.send('Marionette:SetContext', { value: 'chrome' });
      const [window] = await marionette.send<string[]>('WebDriver:GetWindowHandles');
      await marionette.send('WebDriver:SwitchToWindow', { handle: window });
    })();
    await inChromeWindow;
    // One named sandbox for every call: what one call keeps in globalThis, the next finds.
    const { value } = await marionette.send<{ value: unknown }>('WebDriver:ExecuteScript', {
      script: `return (${expression});`,
      args: [],
      sandbox: 'margins',
      newSandbox: false,
    }).catch((error: Error) => {
      throw new Error(`chrome scope: ${error.message}`);
    });
    return value;
  }

  /** The BiDi context showing `url`, waiting for it to appear. */
  async function contextShowing(url: string): Promise<string> {
    for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 100))) {
      const { result } = await bidi.send('browsingContext.getTree', {});
      const context = (result.contexts as { context: string; url: string }[]).find((c) => c.url === url)?.context;
      if (context) return context;
      if (Date.now() > deadline) throw new Error(`no tab shows ${url}`);
    }
  }
  const panels = new WeakMap<Page, FirefoxPanel>();

  /** An extension page's BiDi context: evaluate in it, and click in it with real (trusted) input. */
  function pageIn(context: string): ExtensionPage {
    const evaluate = async (expression: string) => {
      const { result } = await bidi.send('script.evaluate', { expression, target: { context }, awaitPromise: true });
      if (result.type === 'exception') throw new Error(result.exceptionDetails.text);
      return result.result?.value;
    };
    return {
      evaluate,
      async click(selector: string) {
        const box = (await evaluate(`(async () => {
          for (let i = 0; i < 100 && !document.querySelector(${JSON.stringify(selector)}); i++) await new Promise((r) => setTimeout(r, 100));
          const r = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
          return JSON.stringify({ x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) });
        })()`)) as string;
        const { x, y } = JSON.parse(box) as { x: number; y: number };
        await bidi.send('input.performActions', {
          context,
          actions: [{ type: 'pointer', id: 'mouse', actions: [{ type: 'pointerMove', x, y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
        });
      },
    };
  }

  return {
    browser,
    extensionUrl: (path) => `moz-extension://${UUID}${path}`,
    async openPanel(page) {
      const known = panels.get(page);
      if (known) return known;
      const tabId = await inChrome(`(() => {
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const tabs = gBrowser.tabs.filter((t) => t.linkedBrowser.currentURI.spec === ${JSON.stringify(page.url())});
        return tabs.length === 1 ? ExtensionParent.apiManager.global.tabTracker.getId(tabs[0]) : -tabs.length;
      })()`);
      if (typeof tabId !== 'number' || tabId < 0) throw new Error(`expected one tab at ${page.url()} (found ${-Number(tabId)})`);
      const url = `moz-extension://${UUID}/sidepanel.html?tab=${tabId}`;
      await inChrome(`openTrustedLinkIn(${JSON.stringify(url)}, 'window'), 'opened'`);
      const panel = new FirefoxPanel(bidi, await contextShowing(url), new FirefoxShadow(page, bidi));
      panels.set(page, panel);
      return panel;
    },
    async openExtensionPage(path) {
      const url = `moz-extension://${UUID}${path}`;
      await inChrome(`gBrowser.selectedTab = gBrowser.addTab(${JSON.stringify(url)}, { triggeringPrincipal: Services.scriptSecurityManager.getSystemPrincipal() }), 'opened'`);
      return pageIn(await contextShowing(url));
    },
    async extensionPageOpened(prefix) {
      for (const deadline = Date.now() + 10_000; ; await new Promise((r) => setTimeout(r, 100))) {
        const { result } = await bidi.send('browsingContext.getTree', {});
        const found = (result.contexts as { context: string; url: string }[]).find((c) => c.url.startsWith(`moz-extension://${UUID}${prefix}`));
        if (found) return pageIn(found.context);
        if (Date.now() > deadline) throw new Error(`no tab opened at ${prefix}`);
      }
    },
    async clickToolbarButton(page) {
      await page.bringToFront();
      // A popup left open by the last press (nothing blurs it in a headless window) would make
      // this press close it instead of opening it.
      await inChrome(`(async () => {
        for (const panel of document.querySelectorAll('panel')) if (panel.state === 'open') panel.hidePopup();
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
        const extension = ExtensionParent.GlobalManager.getExtension(${JSON.stringify(GECKO_ID)});
        const action = ExtensionParent.apiManager.global.browserActionFor(extension);
        action.triggerAction(window);
      })()`);
    },
    async recordNotifications() {
      await inChrome(`(() => {
        const shown = (globalThis.__marginsAlerts = []);
        const service = {
          QueryInterface: ChromeUtils.generateQI(['nsIAlertsService']),
          showAlert(alert, listener) { shown.push([alert.name, alert.title, alert.text]); listener?.observe(null, 'alertshow', alert.cookie); },
          // What the extensions' notifications API calls in ESR 140.12 (showAlert before).
          showAlertNotification(image, title, text, clickable, cookie, listener, name) { shown.push([name, title, text]); listener?.observe(null, 'alertshow', cookie); },
          closeAlert() {},
        };
        const factory = { createInstance: (iid) => service.QueryInterface(iid), QueryInterface: ChromeUtils.generateQI(['nsIFactory']) };
        const registrar = Components.manager.QueryInterface(Ci.nsIComponentRegistrar);
        registrar.registerFactory(Components.ID('{6f2f6c1a-8a1e-4a61-9c7b-5d2e1b0f3a11}'), 'Margins test alerts', '@mozilla.org/alerts-service;1', factory);
        return 'recording';
      })()`);
      return async () => JSON.parse((await inChrome('JSON.stringify(globalThis.__marginsAlerts)')) as string);
    },
    async close() {
      await browser.close().catch(() => undefined);
      marionette.close();
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        await exited;
      }
    },
  };
}

/**
 * The page agent's UI ("Add comment") inside its closed shadow root. Elements are found through
 * BiDi and pressed with real (trusted) mouse and keyboard input.
 */
export class FirefoxShadow {
  constructor(
    private page: Page,
    private bidi: BidiConnection,
  ) {}

  static of(firefox: Firefox, page: Page): FirefoxShadow {
    return new FirefoxShadow(page, (firefox.browser as unknown as { connection: BidiConnection }).connection);
  }

  private get context(): string {
    return (this.page.mainFrame() as unknown as { _id: string })._id;
  }

  /** Calls `fn(root, ...args)` with the overlay's shadow root; returns its JSON-able result. */
  async inShadow<T>(fn: string, ...args: (string | number)[]): Promise<T | null> {
    const { result: host } = await this.bidi.send('script.evaluate', {
      expression: `document.querySelector('margins-overlay')`,
      target: { context: this.context },
      awaitPromise: false,
      serializationOptions: { includeShadowTree: 'all', maxDomDepth: 0 },
    });
    const shadow = host.result?.value?.shadowRoot;
    if (!shadow?.sharedId) return null;
    const { result } = await this.bidi.send('script.callFunction', {
      functionDeclaration: `(root, ...args) => JSON.stringify((${fn})(root, ...args))`,
      arguments: [{ sharedId: shadow.sharedId }, ...args.map((a) => (typeof a === 'string' ? { type: 'string', value: a } : { type: 'number', value: a }))],
      target: { context: this.context },
      awaitPromise: true,
    });
    if (result.type === 'exception') throw new Error(result.exceptionDetails.text);
    return JSON.parse(result.result.value) as T;
  }

  texts(selector: string): Promise<string[] | null> {
    return this.inShadow<string[]>(`(root, s) => [...root.querySelectorAll(s)].map((e) => e.innerText)`, selector);
  }

  async waitFor(selector: string, { n = 1, timeout = 20_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const count = await this.inShadow<number>(`(root, s) => root.querySelectorAll(s).length`, selector).catch(() => null);
      if ((count ?? 0) >= n) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} × ${selector} in the overlay (found ${count ?? 'no overlay'})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async waitForText(selector: string, pattern: RegExp, timeout = 20_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const texts = (await this.texts(selector).catch(() => null)) ?? [];
      if (texts.some((t) => pattern.test(t))) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${selector}: ${JSON.stringify(texts)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Clicks the `index`th match with the mouse, after scrolling it into view. */
  async click(selector: string, index = 0): Promise<void> {
    await this.waitFor(selector, { n: index + 1 });
    const box = await this.inShadow<{ x: number; y: number }>(
      `(root, s, i) => { const e = root.querySelectorAll(s)[i]; e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }`,
      selector,
      index,
    );
    await this.page.mouse.click(box!.x, box!.y);
  }

  async type(selector: string, text: string): Promise<void> {
    await this.click(selector);
    await this.page.keyboard.type(text);
  }
}

const CONTROL = '\uE009';
const ENTER = '\uE007';

/** The review panel page (an extension page in a window of its own), driven with real input over BiDi. */
export class FirefoxPanel {
  constructor(
    private bidi: BidiConnection,
    private context: string,
    /** The page agent's "Add comment" in the draft. */
    readonly inPage: FirefoxShadow,
  ) {}

  private async evaluate<T>(fn: string, ...args: (string | number)[]): Promise<T> {
    const { result } = await this.bidi.send('script.callFunction', {
      functionDeclaration: `(...args) => JSON.stringify((${fn})(...args))`,
      arguments: args.map((a) => (typeof a === 'string' ? { type: 'string', value: a } : { type: 'number', value: a })),
      target: { context: this.context },
      awaitPromise: true,
    });
    if (result.type === 'exception') throw new Error(result.exceptionDetails.text);
    return JSON.parse(result.result.value) as T;
  }

  texts(selector: string): Promise<string[]> {
    return this.evaluate<string[]>(`(s) => [...document.querySelectorAll(s)].map((e) => e.innerText)`, selector);
  }

  async waitFor(selector: string, { n = 1, timeout = 20_000 } = {}): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const count = await this.evaluate<number>(`(s) => document.querySelectorAll(s).length`, selector).catch(() => 0);
      if (count >= n) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} × ${selector} in the panel (found ${count})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async waitForText(selector: string, pattern: RegExp, timeout = 20_000): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const texts = await this.texts(selector).catch(() => [] as string[]);
      if (texts.some((t) => pattern.test(t))) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in ${selector}: ${JSON.stringify(texts)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Clicks the `index`th match with the mouse, after scrolling it into view. */
  async click(selector: string, index = 0): Promise<void> {
    await this.waitFor(selector, { n: index + 1 });
    const { x, y } = await this.evaluate<{ x: number; y: number }>(
      `(s, i) => { const e = document.querySelectorAll(s)[i]; e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect(); return { x: Math.round(r.x + r.width / 2), y: Math.round(r.y + r.height / 2) }; }`,
      selector,
      index,
    );
    await this.bidi.send('input.performActions', {
      context: this.context,
      actions: [{ type: 'pointer', id: 'mouse', actions: [{ type: 'pointerMove', x, y }, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
    });
  }

  private keys(actions: { type: 'keyDown' | 'keyUp'; value: string }[]): Promise<unknown> {
    return this.bidi.send('input.performActions', { context: this.context, actions: [{ type: 'key', id: 'keyboard', actions }] });
  }

  async type(selector: string, text: string): Promise<void> {
    await this.click(selector);
    await this.keys([...text].flatMap((value) => [{ type: 'keyDown' as const, value }, { type: 'keyUp' as const, value }]));
  }

  /** Ctrl+Enter: sends the composer that has focus. */
  submit(): Promise<unknown> {
    return this.keys([{ type: 'keyDown', value: CONTROL }, { type: 'keyDown', value: ENTER }, { type: 'keyUp', value: ENTER }, { type: 'keyUp', value: CONTROL }]);
  }

  /** Presses "Add comment" beside the selection in the draft. */
  addComment(): Promise<void> {
    return this.inPage.click('.add-comment');
  }
}

/** Selects the first occurrence of `text` in the page, as a reader's drag would. */
export async function selectTextIn(page: Page, text: string): Promise<void> {
  if (!(await page.evaluate(selectInPage, [text, 0] as const))) throw new Error(`text not found in page: ${text}`);
}
