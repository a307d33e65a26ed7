/**
 * The page agent, injected on demand (toolbar button → activeTab), never by manifest match. It
 * keeps only what must live in the draft: its text, the highlights, the selection's "Add comment"
 * button and the reader's clicks and keys there. The review itself (comments, names, decisions)
 * is in the panel, an extension page the draft cannot reach (lib/page/link).
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { IGNORE_ATTR, type Anchor } from '../../lib/anchoring';
import { listenForIntents } from '../../lib/extension/intents';
import { PageAgent } from '../../lib/page/agent';
import { listenForGestures } from '../../lib/page/gestures';
import { OPEN_PANEL, PAGE_PORT, PAGE_READY, PageServer } from '../../lib/page/link';
import type { PortLike } from '../../lib/sync/port';
import { SelectionButton } from '../../components/page/SelectionButton';
import css from '../../components/page/page.css?inline';

const MARKER = Symbol.for('margins.overlay');

export default defineContentScript({
  registration: 'runtime',
  // WXT would otherwise post "content script started" with our extension's name to the page.
  noScriptStartedPostMessage: true,
  cssInjectionMode: 'manual',
  async main(ctx) {
    // The injector checks this first, so a second press injects nothing. If two injections still
    // cross (the popup's and the panel's, each checking before either script ran), WXT stops the
    // older copy as the newer starts: the newer must then carry on, not step aside, or no agent is
    // left (the older one's cleanup is below, in onInvalidated).
    (window as unknown as Record<symbol, boolean>)[MARKER] = true;

    const agent = new PageAgent(document);
    const server = new PageServer(agent);
    const ours = browser.runtime.getURL('/');
    const onConnect = (raw: { name: string; sender?: { id?: string; url?: string } }) => {
      // Only our panel: tabs.connect is for extension pages, and pages cannot call it.
      if (raw.name !== PAGE_PORT || raw.sender?.id !== browser.runtime.id || !raw.sender.url?.startsWith(ours)) return;
      server.serve(raw as unknown as PortLike);
    };
    browser.runtime.onConnect.addListener(onConnect as never);

    /**
     * The reader asked to comment: open the panel (the click or key was theirs) and tell it. The
     * selection has served (the composer holds its passage): collapsed, so the next click on the
     * draft is an ordinary click.
     */
    const askToComment = (anchor: Anchor | null) => {
      if (!server.watched) void browser.runtime.sendMessage({ type: OPEN_PANEL }).catch(() => {});
      server.comment(anchor);
      if (anchor) document.getSelection()?.collapseToEnd();
    };
    const intents = listenForIntents();
    intents.subscribe(() => askToComment(agent.describeSelection()));
    const stopGestures = listenForGestures(document, {
      threadAt: (node, offset) => agent.threadAt(node, offset),
      onHighlight: (id) => server.emit({ type: 'reveal', id }),
      onCommentKey: () => askToComment(agent.describeSelection()),
    });

    const ui = await createShadowRootUi(ctx, {
      name: 'margins-overlay',
      position: 'inline',
      anchor: 'html',
      append: 'last',
      mode: 'closed',
      css,
      onMount(container, _shadow, host) {
        host.setAttribute(IGNORE_ATTR, '');
        render(<SelectionButton doc={document} describe={(sel) => agent.describeSelection(sel)} onComment={askToComment} />, container);
      },
      onRemove(container) {
        if (container) render(null, container);
      },
    });
    ui.mount();
    const unwatch = agent.watch(() => server.emit({ type: 'changed' }));
    // Single-page apps: a new route is a new page text.
    // (The event comes from the Navigation API before the URL commits: look once it has.)
    ctx.addEventListener(window, 'wxt:locationchange', () => ctx.setTimeout(() => agent.recheck(), 0));
    ctx.onInvalidated(() => {
      unwatch();
      stopGestures();
      intents.stop();
      browser.runtime.onConnect.removeListener(onConnect as never);
      server.close(); // its panels hear the line close, and bind to the newer agent when it announces itself
      agent.clear();
    });
    // A panel already showing this tab binds now.
    void browser.runtime.sendMessage({ type: PAGE_READY }).catch(() => {});
  },
});
