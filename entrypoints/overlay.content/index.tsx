/**
 * The in-page overlay, injected on demand (toolbar button → activeTab), never by manifest match.
 * Wires the session (lib/overlay) and the UI (components/overlay) into a closed shadow root,
 * so the page's scripts cannot read our DOM and its styles cannot reach it.
 */
import { render } from 'preact';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { IGNORE_ATTR } from '../../lib/anchoring';
import { browser } from 'wxt/browser';
import { connectToHub } from '../../lib/extension/hub-port';
import { HubClient } from '../../lib/sync/hub-client';
import { listenForIntents } from '../../lib/extension/intents';
import { ComposerDrafts, memoryArea, type StorageArea } from '../../lib/overlay/drafts';
import { canonicalUrl } from '../../lib/page/document-identity';
import { DraftsContext } from '../../components/overlay/drafts-context';
import { ReviewSession } from '../../lib/overlay/session';
import { Overlay } from '../../components/overlay/Overlay';
import css from '../../components/overlay/overlay.css?inline';

const MARKER = Symbol.for('margins.overlay');

export default defineContentScript({
  registration: 'runtime',
  // WXT would otherwise post "content script started" with our extension's name to the page.
  noScriptStartedPostMessage: true,
  cssInjectionMode: 'manual',
  async main(ctx) {
    // Clicking the toolbar button again must not stack a second overlay.
    const w = window as unknown as Record<symbol, boolean>;
    if (w[MARKER]) return;
    w[MARKER] = true;

    const intents = listenForIntents();
    const client = new HubClient(connectToHub).start();
    const session = new ReviewSession(client, document);
    const area = (browser.storage?.local as unknown as StorageArea | undefined) ?? memoryArea();
    const drafts = await ComposerDrafts.load(area, canonicalUrl(document));
    // Typing is written behind a short delay; a closing tab must not lose the last words.
    ctx.addEventListener(window, 'pagehide', () => void drafts.flush().catch(() => {}));
    const ui = await createShadowRootUi(ctx, {
      name: 'margins-overlay',
      position: 'inline',
      anchor: 'html',
      append: 'last',
      mode: 'closed',
      css,
      isolateEvents: ['keydown', 'keyup', 'keypress', 'input'],
      onMount(container, _shadow, host) {
        host.setAttribute(IGNORE_ATTR, '');
        render(
          <DraftsContext.Provider value={drafts}>
            <Overlay session={session} doc={document} intents={intents} />
          </DraftsContext.Provider>,
          container,
        );
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    ui.mount();
    const unwatch = session.watchPage();
    // Single-page apps: a new route is a new page text.
    // (The event comes from the Navigation API before the URL commits: look once it has.)
    ctx.addEventListener(window, 'wxt:locationchange', () => ctx.setTimeout(() => void session.relocate(), 0));
    ctx.onInvalidated(() => {
      unwatch();
      intents.stop();
      client.stop();
    });
    await session.start();
  },
});
