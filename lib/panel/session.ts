/**
 * The panel's model of one draft tab: which review it belongs to, the review's state from the hub,
 * and where each thread sits in the page (asked of the page agent over a PageLink). UI components
 * render a `SessionView` and call the methods here; nothing in this file touches our UI.
 */
import type { Anchor } from '../anchoring';
import type { PageInfo } from '../page/agent';
import { textFingerprint } from '../page/document-identity';
import type { PageLink } from '../page/link';
import type { Placement } from '../page/placement';
import { LIMITS, type Category, type EventBody } from '../review/events';
import { randomId } from '../review/ids';
import { ReviewReplica } from '../review/replica';
import { isListed, type ReviewState, type Thread } from '../review/state';
import type { HubClient, LinkStatus } from '../sync/hub-client';
import { importW3c, type ImportResult } from '../export/w3c-import';
import { UserError } from '../user-error';

/** How long a revised draft must stay as it is before the hub is told of it (reportDraftSoon). */
const DRAFT_SETTLE_MS = 5_000;
/** …but never longer than this after the first change not told: a page with a clock never settles. */
const DRAFT_MAX_WAIT_MS = 60_000;

/** How far an import of annotations got (see importAnnotations). */
export interface ImportSummary {
  threads: number;
  replies: number;
  orphans: number;
  skipped: ImportResult['skipped'];
  /** The hub's refusal that stopped it, if any: what came before stays. */
  stopped?: Error;
}

/** A thread and where its passage is in the page now. */
export interface PlacedThread extends Omit<Placement, 'id'> {
  thread: Thread;
}

/** Whether the thread's passage is in the page (not an orphan). */
export const isPlaced = (t: PlacedThread): boolean => t.start !== null;

export interface SessionView {
  me: { publicKey: string; name: string } | null;
  reviewId: string | null;
  /** Groups this profile chairs: where a review of this draft could be started. */
  chaired: { id: string; name: string }[];
  /** Whether this profile is a member (not the chair) of some group: its reviews come from the chair. */
  groupMember: boolean;
  /** The draft in the tab, once its agent has said. */
  page: PageInfo | null;
  state: ReviewState | null;
  threads: PlacedThread[];
  link: LinkStatus;
  /** The last action that failed (a UserError names its message in locales/). */
  error: Error | null;
  /** The thread selected in the panel or from its highlight. */
  focused: string | null;
}

export class ReviewSession {
  private view: SessionView = {
    me: null,
    reviewId: null,
    chaired: [],
    groupMember: false,
    page: null,
    state: null,
    threads: [],
    link: { connected: false, storage: { ok: true, pending: 0 }, peers: {} },
    error: null,
    focused: null,
  };
  private listeners = new Set<(view: SessionView) => void>();
  private commentListeners = new Set<(anchor: Anchor | null) => void>();
  private revealListeners = new Set<(id: string) => void>();
  /** The thread the dashboard opened the draft for: shown in the page and the panel once placed. */
  private toReveal: string | null = null;
  /** Groups whose chair asked for the commenting template's fields (comment type, proposed change). */
  private templateGroups = new Set<string>();
  /** The canonical URL the current review was looked up for. */
  private canonical = '';
  private replica: ReviewReplica | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Increases with every placement, so a newer one supersedes one still running. */
  private placing = 0;
  /** What was last asked of the page (the page text and the threads' anchors), and its answer. */
  private asked: { key: string; placements: Promise<Placement[]> } | null = null;
  private stops: (() => void)[] = [];
  private stopped = false;
  /** A comment the page asked for before anything listened (the panel's UI mounts after the line opens). */
  private unheard: { anchor: Anchor | null } | null = null;

  constructor(
    private client: HubClient,
    private page: PageLink,
  ) {
    this.stops.push(client.onStatus((link) => this.update({ link })));
    this.stops.push(
      page.on((event) => {
        if (event.type === 'changed') void this.readPage();
        else if (event.type === 'comment') this.askComment(event.anchor);
        else if (event.type === 'select-first') this.askComment(null);
        else if (event.type === 'reveal') for (const l of this.revealListeners) l(event.id);
      }),
    );
  }

  get current(): SessionView {
    return this.view;
  }

  subscribe(listener: (view: SessionView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  /** The reader asked, in the page, to comment on a passage (null: with nothing selected). */
  onCommentRequest(listener: (anchor: Anchor | null) => void): () => void {
    this.commentListeners.add(listener);
    const unheard = this.unheard;
    this.unheard = null;
    if (unheard) listener(unheard.anchor);
    return () => this.commentListeners.delete(listener);
  }

  private askComment(anchor: Anchor | null): void {
    if (this.commentListeners.size) for (const l of this.commentListeners) l(anchor);
    else this.unheard = { anchor };
  }

  /** The reader clicked a thread's highlight in the page. */
  onReveal(listener: (id: string) => void): () => void {
    this.revealListeners.add(listener);
    this.revealPending();
    return () => this.revealListeners.delete(listener);
  }

  /**
   * Shows the thread the draft was opened for once the page has placed it: before, the page has
   * no passage to scroll to, and the panel no card. It waits for a panel to listen, too.
   */
  private revealPending(): void {
    const id = this.toReveal;
    if (!id || !this.revealListeners.size || !this.view.threads.some((t) => t.thread.id === id)) return;
    this.toReveal = null;
    for (const l of this.revealListeners) l(id);
    this.focus(id, true);
  }

  /** `page`: how the page read when the panel connected to it, if it asked already. */
  async start(page?: PageInfo): Promise<void> {
    if (this.stopped) return;
    // A review of this draft that starts (or arrives from the group) after the panel looked: take it.
    this.stops.push(
      this.client.onKnown(({ review, canonical }) => {
        if (canonical === this.canonical && this.view.reviewId !== review && !this.view.state?.meta) this.open(review);
      }),
    );
    // Who this is and the groups go beside the review's lookup, not before it: the page waits for its highlights.
    const me = this.client.request('whoami', {}).then((me) => {
      if (!this.stopped) this.update({ me });
    });
    const groups = this.client
      .request('group-names', {})
      .catch(() => [])
      .then((groups) => {
        if (this.stopped) return;
        this.templateGroups = new Set(groups.filter((g) => g.fields).map((g) => g.id));
        this.update({ chaired: groups.filter((g) => g.chair).map(({ id, name }) => ({ id, name })), groupMember: groups.some((g) => !g.chair) });
      });
    await Promise.all([me, groups, this.readPage(page)]);
    if (this.stopped) return;
    // A comment the reader asked for in the page before this panel was there.
    const pending = await this.page.request('take-pending', {}).catch(() => null);
    if (pending && !this.stopped) this.askComment(pending);
  }

  /**
   * Stops listening to the hub and the page for good (the panel moved to another tab). Resolves
   * once a revision waiting to be told has been (its text read from the page): close the line to
   * the page after that.
   */
  stop(): Promise<void> {
    const told = this.tellDraftNow(true); // what was seen is told before the panel goes
    this.stopped = true;
    this.stops.forEach((s) => s());
    this.stops = [];
    this.close(false); // the page forgets our highlights itself once its last panel goes
    this.placing++;
    return told;
  }

  /** Asks the page how it reads now: the draft may be another one, or a revision of it. */
  private async readPage(known?: PageInfo): Promise<void> {
    const info = known ?? (await this.page.request('info', {}).catch(() => null));
    if (!info || this.stopped) return;
    const before = this.view.page;
    this.update({ page: info });
    if (info.canonical !== this.canonical) await this.findReview(info.canonical);
    else {
      // The newest fold, not the last one placed: one may be on its way to the page right now.
      const state = this.replica?.current ?? this.view.state;
      if (state) void this.place(state);
      if (before?.fingerprint !== info.fingerprint) this.reportDraftSoon();
    }
  }

  /** The review of the draft at this canonical URL, if this browser knows one. */
  private async findReview(canonical: string): Promise<void> {
    this.canonical = canonical;
    const before = this.view.reviewId;
    const found = await this.client.request('find', { canonical });
    if (this.canonical !== canonical || this.stopped) return; // the page moved on meanwhile
    if (found.length) this.open(found[0].id);
    // Nothing found: leave the review this page had, not one that arrived (onKnown) while we asked.
    else if (this.view.reviewId === before) this.close();
    // Opened from the dashboard's "needs my decision": select the thread it was opened for.
    const focus = await this.client.request('take-focus', { canonical }).catch(() => null);
    if (focus && focus.review === this.view.reviewId) {
      this.toReveal = focus.thread;
      this.update({ focused: focus.thread });
      this.revealPending();
    }
  }

  async setName(name: string): Promise<void> {
    await this.reporting(() => this.client.request('set-name', { name }));
    this.update({ me: { ...this.view.me!, name: name.trim() } });
  }

  /** Whether new comments here ask for a comment type and a proposed change (the review's group says). */
  templateFields(): boolean {
    const group = this.view.state?.meta?.group;
    return !!group && this.templateGroups.has(group);
  }

  private async pageInfo(): Promise<PageInfo> {
    return this.view.page ?? (await this.page.request('info', {}));
  }

  /**
   * Starts a review of this draft on the first comment; this profile becomes its chair. `group`
   * is the group it is shared with (null: this browser only); by default the one group chaired.
   * Resolves with the new thread's id.
   */
  async addComment(anchor: Anchor, body: string, group?: string | null, fields: { category?: Category; proposal?: string } = {}): Promise<string> {
    const page = await this.reporting(() => this.pageInfo());
    if (!this.view.reviewId) {
      const { id } = await this.reporting(() =>
        this.client.request('create', {
          ...(group !== undefined ? { group } : {}),
          nonce: randomId(),
          // A page's title (or, without one, its address) may be longer than a review's title holds.
          title: clip(page.title || page.canonical, LIMITS.title),
          url: page.url,
          canonical: page.canonical,
          fingerprint: page.fingerprint,
        }),
      );
      this.open(id);
    }
    return this.append({ type: 'comment.add', anchor: { ...anchor, fingerprint: page.fingerprint }, body, ...fields });
  }

  /** Runs `work`; its failure becomes the panel's error (shown to the user), and is thrown on. */
  private async reporting<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.update({ error: error instanceof Error ? error : new Error(String(error)) });
      throw error;
    }
  }

  /**
   * Adds the comments of a Web Annotation file (another tool's export) as this member's: each
   * passage placed by the page's matcher, or kept as an orphan. Stops at the first comment the hub
   * refuses (a closed period, a full disk) and says how far it got (`stopped`): what was added stays.
   */
  async importAnnotations(doc: unknown): Promise<ImportSummary> {
    const review = this.view.reviewId;
    if (!review || !this.view.state?.meta) throw new UserError('importNeedsReview', 'Start the review first: comment once on this draft, then import.');
    const { threads, skipped } = importW3c(doc);
    const { fingerprint } = await this.pageInfo();
    const places = await this.page.request('place-anchors', { anchors: threads.map((t) => t.anchor) });
    const done: ImportSummary = { threads: 0, replies: 0, orphans: 0, skipped };
    try {
      for (const [i, t] of threads.entries()) {
        // Placed: selectors of this draft's text. Not placed: the file's, which no text here matches (an orphan).
        const { anchor, placed } = places[i];
        const fields = { ...(t.category ? { category: t.category } : {}), ...(t.proposal ? { proposal: t.proposal } : {}) };
        const { id } = await this.client.request('append', { review, id: randomId(), body: { type: 'comment.add', anchor: placed ? { ...anchor, fingerprint } : anchor, body: t.body, ...fields } });
        done.threads++;
        if (!placed) done.orphans++;
        for (const body of t.replies) {
          await this.client.request('append', { review, id: randomId(), body: { type: 'comment.add', thread: id, body } });
          done.replies++;
        }
      }
    } catch (error) {
      done.stopped = error instanceof Error ? error : new Error(String(error));
    }
    return done;
  }

  /** Signs and appends an event to this review; resolves with its id. */
  async append(body: EventBody): Promise<string> {
    const { id } = await this.reporting(() => this.client.request('append', { review: this.view.reviewId!, id: randomId(), body }));
    if (this.view.error) this.update({ error: null });
    return id;
  }

  /** Selects a thread (its highlight stands out); `show` also scrolls the page to its passage. */
  focus(threadId: string | null, show = false): void {
    this.update({ focused: threadId });
    void this.page.request('focus', { id: threadId, show }).catch(() => {});
  }

  private open(id: string): void {
    if (this.view.reviewId === id || this.stopped) return;
    this.close();
    this.update({ reviewId: id });
    // The hub's fold first, in one round trip, and this panel's own copy of the review after it:
    // the copy's first fold reads every envelope again (a tenth of a second for 1,000 comments),
    // and the panel shares its thread with the hub (one extension process), so folding at once would
    // hold the hub's answer, and the page's highlights, back by as long.
    // The copy folds once it holds what the hub held (a fold before would show half the review).
    const follow = async () => {
      const doc = this.client.review(id);
      await this.client.caughtUp(id);
      if (this.view.reviewId !== id || this.replica || this.stopped) return;
      const replica = new ReviewReplica(doc, id, this.client.vouchersFor(id));
      this.replica = replica;
      this.unsubscribe = replica.subscribe((state) => {
        if (this.view.reviewId === id) void this.place(state);
      });
    };
    this.client.request('state', { review: id }).then(
      (state) => {
        if (this.view.reviewId === id && !this.replica) void this.place(state);
        void follow();
      },
      () => void follow(), // the copy's own fold shows the review anyway
    );
    void this.reportDraft();
  }

  /**
   * A revision seen while the review is open is told once the page has settled: a page that keeps
   * changing (a clock in it) would otherwise send the hub its whole text, and have it stored, at
   * every change (1.4 MB a second for the consolidated draft).
   */
  private reportDraftSoon(): void {
    const review = this.view.reviewId;
    const page = this.view.page;
    if (!review || !page) return;
    const since = this.draftToTell?.since ?? Date.now();
    if (this.draftToTell) clearTimeout(this.draftToTell.timer);
    const wait = Math.max(0, Math.min(DRAFT_SETTLE_MS, since + DRAFT_MAX_WAIT_MS - Date.now()));
    this.draftToTell = { timer: setTimeout(() => this.tellDraftNow(), wait), since, review, page };
  }
  /** The revision waiting to be told, for the review it was seen in. */
  private draftToTell: { timer: ReturnType<typeof setTimeout>; since: number; review: string; page: PageInfo } | null = null;

  /**
   * Tells the revision waiting now (the panel goes, or the review changes). `going`: the line to
   * the page closes next, so its text is read first (not after the hub asks for it), and told only
   * if it is still that revision.
   */
  private async tellDraftNow(going = false): Promise<void> {
    const waiting = this.draftToTell;
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.draftToTell = null;
    if (!going) return this.reportDraft(waiting.review, waiting.page);
    const { review, page } = waiting;
    try {
      const text = await this.page.request('text', {});
      if ((await textFingerprint(text)) !== page.fingerprint) return;
      await this.client.request('draft-seen', { review, fingerprint: page.fingerprint, outline: page.outline, text });
    } catch {
      // best effort, as below
    }
  }

  /**
   * Tells the hub how the draft reads now, for exports (what became of each passage). The text
   * itself goes only when the hub does not have this revision yet. Best effort: an export without
   * it says the passages were not compared.
   */
  private async reportDraft(review = this.view.reviewId, page = this.view.page): Promise<void> {
    if (!review || !page) return;
    try {
      const { need } = await this.client.request('draft-seen', { review, fingerprint: page.fingerprint, outline: page.outline });
      if (need && page === this.view.page) await this.client.request('draft-seen', { review, fingerprint: page.fingerprint, outline: page.outline, text: await this.page.request('text', {}) });
    } catch {
      // A draft too large to keep, or a hub restarting: the export will say it could not compare.
    }
  }

  /** Leaves the current review (the page is another draft now). */
  private close(tellPage = true): void {
    if (!this.view.reviewId) return;
    void this.tellDraftNow(); // the revision seen in this review, before another is shown
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.replica?.dispose();
    this.replica = null;
    this.placing++; // a placement still running is for the old review
    this.asked = null;
    this.update({ reviewId: null, state: null, threads: [] });
    if (tellPage) void this.page.request('place', { threads: [] }).catch(() => {});
  }

  /** Asks the page where every listed thread is; a newer call supersedes one still running. */
  private async place(state: ReviewState): Promise<void> {
    const run = ++this.placing;
    const live = state.threads.filter(isListed);
    const threads = live.map((t) => ({ id: t.id, anchor: t.anchor }));
    // The same anchors on the same text (the copy's fold after the hub's, a change elsewhere in
    // the review): the page's answer stands, and it is not asked to paint every highlight again.
    // (Two panels bound to one tab show the same review: the page's last paint is the same set.)
    const key = `${this.view.page?.fingerprint ?? ''}\n${JSON.stringify(threads)}`;
    const asked = this.asked?.key === key ? this.asked : (this.asked = { key, placements: this.page.request('place', { threads }) });
    let placements: Placement[];
    try {
      placements = await asked.placements;
    } catch {
      if (this.asked === asked) this.asked = null;
      return; // the page is gone: the panel hears it and shows so
    }
    if (run !== this.placing) return;
    const placed: PlacedThread[] = live.map((thread, i) => {
      const { id: _id, ...where } = placements[i];
      return { thread, ...where };
    });
    const at = (t: PlacedThread) => t.start ?? Infinity;
    placed.sort((a, b) => at(a) - at(b) || a.thread.createdAt - b.thread.createdAt);
    this.update({ state, threads: placed });
    this.revealPending();
  }

  private update(patch: Partial<SessionView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l(this.view);
  }
}

/** `text` cut to `max` UTF-16 units, never between the two halves of a character. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\ud800-\udbff]/.test(text[max - 1]) ? max - 1 : max;
  return text.slice(0, end);
}
