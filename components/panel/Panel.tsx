import { useContext, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { Anchor } from '../../lib/anchoring';
import { applyFilters, countFilters, groupBySection, NO_FILTERS, type Filters } from '../../lib/panel/filters';
import { isPlaced, type ReviewSession, type SessionView } from '../../lib/panel/session';
import { Composer } from './Composer';
import { DraftsContext } from './drafts-context';
import { FilterBar, Legend } from './FilterBar';
import { GroupChoice } from './GroupChoice';
import { Presence } from './Presence';
import { StatusLine } from './StatusLine';
import { SyncProblems } from './SyncProblems';
import { ThreadCard } from './ThreadCard';
import { RememberedContext, type Remembered } from './remembered';
import { Tabs, type Tab } from './Tabs';
import { describeError } from '../common/describe-error';
import { PeriodBadge } from '../common/PeriodBadge';
import { PeriodForm } from './PeriodForm';
import { isChair, mayCommentNow } from '../../lib/review/permissions';
import { useNow } from '../common/use-now';
import { requestExport } from '../../lib/extension/open-export';
import { ImportAnnotations } from './ImportAnnotations';

interface Props {
  session: ReviewSession;
}

const FIRST_CARDS = 50;
const MORE_CARDS = 100;

/** The review of the draft in the panel's tab: its threads, composers, decisions, filters and status. */
export function Panel({ session }: Props) {
  const drafts = useContext(DraftsContext);
  const [view, setView] = useState<SessionView>(session.current);
  // An unsent new comment comes back on its passage after a reload.
  const [draft, setDraft] = useState<Anchor | null>(() => drafts?.get('new')?.anchor ?? null);
  const [tab, setTab] = useState<Tab>('threads');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [nameInput, setNameInput] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  // undefined until the chair picks: the first group chaired is the default.
  const [groupPicked, setGroupPicked] = useState<string | null | undefined>(undefined);
  const root = useRef<HTMLElement>(null);
  useEffect(() => session.subscribe(setView), [session]);

  const me = view.me?.publicKey ?? '';
  const now = useNow();
  // After the period closes, members write only if the chair allows late comments.
  const closedToMe = !!view.state?.meta && !mayCommentNow(view.state, me, now);
  const placed = useMemo(() => view.threads.filter(isPlaced), [view.threads]);
  const orphans = useMemo(() => view.threads.filter((t) => !isPlaced(t)), [view.threads]);
  const listed = tab === 'threads' ? placed : orphans;
  const shown = useMemo(() => applyFilters(listed, filters, me), [listed, filters, me]);
  // A review of a thousand threads is drawn a hundred cards at a time, with paints in between: the
  // first cards show at once, not after one long task of drawing them all.
  const [rendered, setRendered] = useState(FIRST_CARDS);
  useEffect(() => {
    if (rendered >= shown.length) return;
    // After the next frame: each batch of cards waits for the page (and its highlights) to paint.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setRendered((n) => n + MORE_CARDS), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [rendered, shown.length]);
  const counts = useMemo(() => countFilters(listed, filters, me), [listed, filters, me]);

  // (Still undefined before the groups are known: the hub then picks the one group chaired.)
  const shareWith = groupPicked === undefined ? view.chaired[0]?.id : groupPicked;
  // A group member on a draft no review covers yet: the chair starts reviews, and this panel
  // picks one up as it arrives. A review of their own, in this browser only, is an explicit choice.
  const awaitingChair = !view.reviewId && view.groupMember && !view.chaired.length;
  const [privately, setPrivately] = useState(false);

  /** From the panel: show the passage in the page. */
  const select = (id: string) => session.focus(id, true);

  /** From the page: open the thread in the panel, even if filters hid it. */
  const reveal = (id: string) => {
    setTab('threads');
    if (!applyFilters(placed, filters, me).some((p) => p.thread.id === id)) setFilters(NO_FILTERS);
    // Not drawn yet (a long review still being drawn): draw as far as it at once.
    const at = placed.findIndex((p) => p.thread.id === id);
    if (at >= rendered) setRendered(at + MORE_CARDS);
    session.focus(id);
    requestAnimationFrame(() => {
      const card = root.current?.querySelector<HTMLElement>(`[data-thread="${id}"]`);
      card?.scrollIntoView({ block: 'nearest' });
      card?.focus({ preventScroll: true });
    });
  };

  /**
   * J / K (or ↓ / ↑ on a thread itself): the next or previous thread, selected and shown in the
   * page. Not while typing: keys in a field, a list or a button's menu are theirs.
   */
  const onThreadKeys = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    if (e.altKey || e.ctrlKey || e.metaKey || target.closest('input, textarea, select')) return;
    const onCard = target.classList.contains('thread');
    const step = e.key === 'j' || (onCard && e.key === 'ArrowDown') ? 1 : e.key === 'k' || (onCard && e.key === 'ArrowUp') ? -1 : 0;
    if (!step) return;
    const cards = [...(root.current?.querySelectorAll<HTMLElement>('.threads .thread') ?? [])];
    if (!cards.length) return;
    e.preventDefault();
    const at = cards.findIndex((c) => c.contains(target));
    const next = cards[Math.max(0, Math.min(cards.length - 1, at < 0 ? 0 : at + step))];
    const id = next.dataset.thread;
    if (id) select(id);
    next.scrollIntoView({ block: 'nearest' });
    next.focus({ preventScroll: true });
  };

  const startComment = (anchor: Anchor | null) => {
    if (!anchor) return setHint(i18n.t('selectFirst'));
    setHint(null);
    setDraft(anchor);
  };
  // A thread just written: selected and focused as soon as the review shows it.
  const [arriving, setArriving] = useState<string | null>(null);
  // What is open in the panel (a thread's form, the sync problems), kept while it is drawn anew (remembered.ts).
  const remembered = useRef<Remembered>(new Map());
  useEffect(() => {
    if (arriving && placed.some((p) => p.thread.id === arriving)) {
      setArriving(null);
      reveal(arriving);
    }
  }, [arriving, placed]);
  // The page's own gestures: "Add comment", Ctrl+Alt+M, the menu, the shortcut, a highlight's click.
  // (The handlers read the latest render's state.)
  const handlers = useRef({ startComment, reveal });
  handlers.current = { startComment, reveal };
  useEffect(() => {
    const a = session.onCommentRequest((anchor) => handlers.current.startComment(anchor));
    const b = session.onReveal((id) => handlers.current.reveal(id));
    return () => {
      a();
      b();
    };
  }, [session]);

  // Until the hub says who we are, assume a name is needed rather than let a comment go out nameless.
  const needsName = !view.me?.name;

  return (
    <>
      <RememberedContext.Provider value={remembered.current}>
        <main ref={root} class="panel" aria-label={i18n.t('sidebarLabel')}>
          <header class="top">
            <h1>{i18n.t('extName')}</h1>
            <p class="review-title">{view.state?.meta?.title ?? i18n.t('noReviewYet')}</p>
            {view.state?.meta ? <PeriodBadge period={view.state.period} now={now} /> : null}
            {view.state?.meta && isChair(view.state, me) ? <PeriodForm key={view.state.period?.eventId ?? 'none'} period={view.state.period} history={view.state.periodHistory} now={() => Date.now()} onSave={async (b) => void (await session.append(b))} /> : null}
            <StatusLine view={view} />
            {view.reviewId && view.state?.meta ? (
              <button type="button" class="link export-open" onClick={(e) => e.isTrusted && void requestExport(view.reviewId!)}>
                {i18n.t('exportFromSidebar')}
              </button>
            ) : null}
            {view.reviewId && view.state?.meta ? <ImportAnnotations session={session} /> : null}
            <button type="button" class="link open-dashboard" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') })}>
              {i18n.t('openDashboard')}
            </button>
            <Presence view={view} />
            <SyncProblems view={view} />
            <Legend />
          </header>
          {view.error ? (
            <p class="error" role="alert">
              {describeError(view.error)}
            </p>
          ) : null}
          {hint ? (
            <p class="hint" role="status">
              {hint}
            </p>
          ) : null}
          {draft && closedToMe ? (
            <section class="new-comment closed" aria-label={i18n.t('newComment')}>
              <p class="closed-message" role="status">
                {i18n.t('periodClosedComposer')}
              </p>
              <button type="button" onClick={() => setDraft(null)}>
                {i18n.t('cancel')}
              </button>
            </section>
          ) : draft ? (
            <section class="new-comment" aria-label={i18n.t('newComment')}>
              <blockquote>{draft.quote.exact}</blockquote>
              {!view.reviewId && view.chaired.length ? (
                <GroupChoice groups={view.chaired} value={shareWith ?? null} onChange={setGroupPicked} />
              ) : null}
              {awaitingChair ? (
                <div class="awaiting-chair">
                  <p role="status">{i18n.t('awaitingChair')}</p>
                  <label>
                    <input type="checkbox" class="comment-privately" checked={privately} onChange={(e) => setPrivately((e.target as HTMLInputElement).checked)} /> {i18n.t('commentPrivately')}
                  </label>
                </div>
              ) : null}
              {needsName ? (
                <label class="name">
                  {i18n.t('yourName')}
                  <input value={nameInput} onInput={(e) => setNameInput((e.target as HTMLInputElement).value)} maxLength={120} />
                </label>
              ) : null}
              <Composer
                label={i18n.t('commentLabel')}
                submitLabel={i18n.t('addComment')}
                slot="new"
                anchor={draft}
                template={session.templateFields()}
                onSubmit={async (body, fields) => {
                  if (needsName) {
                    if (!nameInput.trim()) {
                      setHint(i18n.t('nameNeeded'));
                      throw new Error('name needed');
                    }
                    await session.setName(nameInput);
                  }
                  if (awaitingChair && !privately) {
                    setHint(i18n.t('awaitingChair'));
                    throw new Error('no review yet');
                  }
                  const thread = await session.addComment(draft, body, awaitingChair ? null : shareWith, fields);
                  setHint(null);
                  setDraft(null);
                  setArriving(thread); // focus goes to the new thread once it is drawn
                }}
                onCancel={() => setDraft(null)}
              />
            </section>
          ) : null}
          {view.state?.meta ? (
            <Tabs tab={tab} onTab={setTab} counts={{ threads: placed.length, orphans: orphans.length }}>
              {listed.length ? <FilterBar filters={filters} counts={counts} state={view.state} onChange={setFilters} /> : null}
              <div class="threads" onKeyDown={onThreadKeys}>
                {listed.length === 0 ? <p class="empty">{tab === 'threads' ? i18n.t('emptyHint') : i18n.t('noOrphans')}</p> : null}
                {listed.length > 0 && shown.length === 0 ? <p class="empty">{i18n.t('nothingMatches')}</p> : null}
                {groupBySection(shown.slice(0, rendered)).map(({ section, items, key }) => (
                  <section class="section-group" key={key} aria-label={section || i18n.t('noSection')}>
                    <h2 class="section-heading">{section || i18n.t('noSection')}</h2>
                    {items.map((p) => (
                      <ThreadCard key={p.thread.id} placed={p} state={view.state!} me={me} canReply={!closedToMe} selected={view.focused === p.thread.id} onSelect={select} onAction={async (b) => void (await session.append(b))} />
                    ))}
                  </section>
                ))}
              </div>
            </Tabs>
          ) : draft ? null : (
            <p class="empty">{i18n.t('emptyHint')}</p>
          )}
        </main>
      </RememberedContext.Provider>
    </>
  );
}
