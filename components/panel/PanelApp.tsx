import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { i18n } from '#i18n';
import { connectToPage } from '../../lib/extension/page-port';
import { injectOverlay } from '../../lib/extension/inject-overlay';
import { PAGE_READY } from '../../lib/page/link';
import { ComposerDrafts, memoryArea, type StorageArea } from '../../lib/panel/drafts';
import { ReviewSession } from '../../lib/panel/session';
import type { HubClient } from '../../lib/sync/hub-client';
import { DraftsContext } from './drafts-context';
import { Panel } from './Panel';
import { Dashboard } from '../dashboard/Dashboard';

interface Props {
  client: HubClient;
  /** The tab this panel shows, when it was opened for one; otherwise it follows the active tab. */
  pinnedTab: number | null;
}

type Bound = { tab: number; session: ReviewSession; drafts: ComposerDrafts; n: number } | { tab: number | null; session: null };

let bindings = 0;

/** The tab the panel follows: the active tab of this window, as the reader switches and navigates. */
function useActiveTab(pinned: number | null): number | null {
  const [tab, setTab] = useState<number | null>(pinned);
  useEffect(() => {
    if (pinned !== null) return;
    let windowId: number | undefined;
    void browser.tabs.query({ active: true, currentWindow: true }).then(([t]) => {
      windowId = t?.windowId;
      setTab(t?.id ?? null);
    });
    const onActivated = (info: { tabId: number; windowId: number }) => {
      if (windowId === undefined || info.windowId === windowId) setTab(info.tabId);
    };
    browser.tabs.onActivated.addListener(onActivated);
    return () => browser.tabs.onActivated.removeListener(onActivated);
  }, [pinned]);
  return tab;
}

/**
 * The review panel: binds to a tab's page agent and shows that draft's review. When the tab has
 * no agent (Margins was not opened there, or the page navigated), it says how to start, and binds
 * as soon as an agent in that tab announces itself.
 */
export function PanelApp({ client, pinnedTab }: Props) {
  const tab = useActiveTab(pinnedTab);
  const [bound, setBound] = useState<Bound>({ tab: null, session: null });

  useEffect(() => {
    if (tab === null) return;
    let live = true;
    /** Each attach's number: one started later (a PAGE_READY, a reload) supersedes it at every await. */
    let attempt = 0;
    let current: { session: ReviewSession; close(): void } | null = null;
    const area = (browser.storage?.local as unknown as StorageArea | undefined) ?? memoryArea();
    const detach = () => {
      current?.close();
      current = null;
    };
    const attach = async () => {
      const mine = ++attempt;
      const superseded = () => !live || mine !== attempt;
      detach();
      const connected = await connectToPage(tab);
      if (superseded()) return connected?.link.close();
      if (!connected) return setBound({ tab, session: null });
      const { link, info } = connected;
      // The page may change while the drafts load (nothing listens to it yet): then the session asks again.
      let changed = false;
      const stopNoting = link.on((event) => void (event.type === 'changed' && (changed = true)));
      const drafts = await ComposerDrafts.load(area, info.canonical);
      stopNoting();
      if (superseded() || link.isClosed) {
        link.close();
        if (!superseded()) setBound({ tab, session: null });
        return;
      }
      const session = new ReviewSession(client, link);
      const binding = {
        session,
        close: () => {
          // The line to the page stays open while a revision seen is told (its text read), a few seconds at most.
          const told = Promise.race([session.stop(), new Promise((r) => setTimeout(r, 3_000))]);
          void told.finally(() => link.close());
          void drafts.flush().catch(() => {});
        },
      };
      current = binding;
      link.onClose(() => {
        if (current !== binding) return;
        detach(); // the page went: a reload within the grant puts the agent back (onUpdated)
        if (live) setBound({ tab, session: null });
      });
      setBound({ tab, session, drafts, n: ++bindings });
      void session.start(changed ? undefined : info);
    };
    void attach();
    // An agent starting in this tab (after the toolbar button, or on a site always opened): bind to it.
    const onMessage = (message: unknown, sender: { tab?: { id?: number } }) => {
      if ((message as { type?: string })?.type === PAGE_READY && sender.tab?.id === tab) void attach();
    };
    // The tab navigated within the activeTab grant (same origin): put the agent back there.
    const onUpdated = (id: number, change: { status?: string }) => {
      if (id === tab && change.status === 'complete' && !current) injectOverlay(tab).catch(() => {});
    };
    // The panel closing: what was typed last is written now, not after the write-behind delay.
    const onHide = detach;
    browser.runtime.onMessage.addListener(onMessage);
    browser.tabs.onUpdated.addListener(onUpdated);
    addEventListener('pagehide', onHide);
    return () => {
      live = false;
      browser.runtime.onMessage.removeListener(onMessage);
      browser.tabs.onUpdated.removeListener(onUpdated);
      removeEventListener('pagehide', onHide);
      detach();
    };
  }, [tab, client]);

  // No draft here: say how to start, and show every review meanwhile (the popup's dashboard).
  if (!bound.session || bound.tab !== tab)
    return (
      <>
        <section class="panel no-page" aria-labelledby="no-page-title">
          <h1 id="no-page-title">{i18n.t('extName')}</h1>
          <p class="empty" role="status">
            {i18n.t('panelNoPage')}
          </p>
        </section>
        <Dashboard client={client} />
      </>
    );
  return (
    <DraftsContext.Provider value={bound.drafts}>
      <Panel key={bound.n} session={bound.session} />
    </DraftsContext.Provider>
  );
}
