/**
 * The overlay's model of one draft page: which review it belongs to, the review's state from
 * the hub, and where each thread sits in the page. UI components render a `SessionView` and call
 * the methods here; nothing in this file touches our UI, so it runs under a DOM test environment.
 */
import { describeRange, extractText, IGNORE_ATTR, type Anchor, type PageText } from '../anchoring';
import { Highlighter } from '../anchoring/highlight';
import { canonicalUrl, textFingerprint } from '../page/document-identity';
import type { Category, EventBody } from '../review/events';
import { randomId } from '../review/ids';
import { ReviewReplica } from '../review/replica';
import { isListed, type ReviewState } from '../review/state';
import type { HubClient, LinkStatus } from '../sync/hub-client';
import { Placements, type PlacedThread } from './placement';
import { importW3c, placeImported, type ImportResult } from '../export/w3c-import';
import { outlineOf } from '../export/outline';
import { UserError } from '../user-error';

const SLICE_MS = 12;
const REANCHOR_DELAY_MS = 300;
const now = () => performance.now();
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Work in slices of SLICE_MS with the page's event loop in between: in a loop,
 * `if (slice.over()) await slice.yield()` gives the page a turn once the slice has run its time.
 */
function slices(): { over(): boolean; yield(): Promise<void> } {
  let sliceStart = now();
  return {
    over: () => now() - sliceStart > SLICE_MS,
    yield: async () => {
      await yieldToPage();
      sliceStart = now();
    },
  };
}

/** How far an import of annotations got (see importAnnotations). */
export interface ImportSummary {
  threads: number;
  replies: number;
  orphans: number;
  skipped: ImportResult['skipped'];
  /** The hub's refusal that stopped it, if any: what came before stays. */
  stopped?: Error;
}

function isOurs(node: Node): boolean {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return !!el?.closest(`[${IGNORE_ATTR}], #margins-highlight-style, margins-hl`);
}

export type { PlacedThread } from './placement';

export interface SessionView {
  me: { publicKey: string; name: string } | null;
  reviewId: string | null;
  /** Groups this profile chairs: where a review of this draft could be started. */
  chaired: { id: string; name: string }[];
  /** Whether this profile is a member (not the chair) of some group: its reviews come from the chair. */
  groupMember: boolean;
  /** Fingerprint of the page text as it is now. */
  fingerprint: string | null;
  state: ReviewState | null;
  threads: PlacedThread[];
  link: LinkStatus;
  /** The last action that failed (a UserError names its message in locales/). */
  error: Error | null;
  /** The thread selected in the sidebar or from its highlight. */
  focused: string | null;
}

export class ReviewSession {
  private view: SessionView = {
    me: null,
    reviewId: null,
    chaired: [],
    groupMember: false,
    fingerprint: null,
    state: null,
    threads: [],
    link: { connected: false, storage: { ok: true, pending: 0 }, peers: {} },
    error: null,
    focused: null,
  };
  private listeners = new Set<(view: SessionView) => void>();
  private page: PageText;
  /** Fingerprint of `page`, once its digest is ready. */
  private fingerprint!: Promise<string>;
  /** Groups whose chair asked for the commenting template's fields (comment type, proposed change). */
  private templateGroups = new Set<string>();
  /** The canonical URL the current review was looked up for. */
  private canonical = '';
  private highlighter: Highlighter;
  private placements = new Placements();
  private replica: ReviewReplica | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Increases with every placement, so a newer one supersedes one still running. */
  private placing = 0;
  private observer: MutationObserver | null = null;

  constructor(
    private client: HubClient,
    private doc: Document,
  ) {
    performance.mark('margins:extract-start');
    this.page = extractText(doc.body);
    performance.mark('margins:extracted');
    this.highlighter = new Highlighter(doc);
    client.onStatus((link) => this.update({ link }));
    this.takeFingerprint();
  }

  /** Fingerprints the current page text; the view gets it when the digest is ready. */
  private takeFingerprint(): Promise<string> {
    const text = this.page.text;
    const pending = textFingerprint(text).then((fingerprint) => {
      if (this.page.text === text && this.view.fingerprint !== fingerprint) {
        this.update({ fingerprint });
        if (this.view.state) void this.place(this.view.state);
        void this.reportDraft();
      }
      return fingerprint;
    });
    this.fingerprint = pending;
    return pending;
  }

  get current(): SessionView {
    return this.view;
  }

  subscribe(listener: (view: SessionView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const me = await this.client.request('whoami', {});
    this.update({ me });
    const groups = await this.client.request('group-names', {}).catch(() => []);
    this.update({ chaired: groups.filter((g) => g.chair).map(({ id, name }) => ({ id, name })) });
    this.templateGroups = new Set(groups.filter((g) => g.fields).map((g) => g.id));
    this.update({ groupMember: groups.some((g) => !g.chair) });
    // A review of this draft that starts (or arrives from the group) after the sidebar looked: take it.
    this.client.onKnown(({ review, canonical }) => {
      if (canonical === this.canonical && this.view.reviewId !== review && !this.view.state?.meta) this.open(review);
    });
    await this.findReview();
  }

  /** The review of the draft at the page's canonical URL, if this browser knows one. */
  private async findReview(): Promise<void> {
    const canonical = canonicalUrl(this.doc);
    this.canonical = canonical;
    const before = this.view.reviewId;
    const found = await this.client.request('find', { canonical });
    if (this.canonical !== canonical) return; // the page moved on meanwhile
    if (found.length) this.open(found[0].id);
    // Nothing found: leave the review this page had, not one that arrived (onKnown) while we asked.
    else if (this.view.reviewId === before) this.close();
    // Opened from the dashboard's "needs my decision": select the thread it was opened for.
    const focus = await this.client.request('take-focus', { canonical }).catch(() => null);
    if (focus && focus.review === this.view.reviewId) this.focus(focus.thread);
  }

  /**
   * A single-page app changed route: the text is new, and when the canonical URL changed too,
   * so is the draft — and with it the review.
   */
  async relocate(): Promise<void> {
    this.refreshPage();
    if (canonicalUrl(this.doc) !== this.canonical) await this.findReview();
  }

  /** Selectors for the current selection, or null when it selects no page text. */
  describeSelection(selection: Selection | null): Anchor | null {
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    return describeRange(this.page, selection.getRangeAt(0));
  }

  async setName(name: string): Promise<void> {
    await this.client.request('set-name', { name });
    this.update({ me: { ...this.view.me!, name: name.trim() } });
  }

  /** Whether new comments here ask for a comment type and a proposed change (the review's group says). */
  templateFields(): boolean {
    const group = this.view.state?.meta?.group;
    return !!group && this.templateGroups.has(group);
  }

  /**
   * Starts a review of this draft on the first comment; this profile becomes its chair. `group`
   * is the group it is shared with (null: this browser only); by default the one group chaired.
   */
  async addComment(anchor: Anchor, body: string, group?: string | null, fields: { category?: Category; proposal?: string } = {}): Promise<void> {
    if (!this.view.reviewId) {
      const canonical = canonicalUrl(this.doc);
      const { id } = await this.client.request('create', {
        ...(group !== undefined ? { group } : {}),
        nonce: randomId(),
        title: this.doc.title.trim() || canonical,
        url: this.doc.location.href,
        canonical,
        fingerprint: await this.fingerprint,
      });
      this.open(id);
    }
    await this.append({ type: 'comment.add', anchor: { ...anchor, fingerprint: await this.fingerprint }, body, ...fields });
  }

  /**
   * Adds the comments of a Web Annotation file (another tool's export) as this member's: each
   * passage placed by the matcher, or kept as an orphan. The page's event loop gets a turn between
   * threads. Stops at the first comment the hub refuses (a closed period, a full disk) and says how
   * far it got (`stopped`): what was added stays.
   */
  async importAnnotations(doc: unknown): Promise<ImportSummary> {
    const review = this.view.reviewId;
    if (!review || !this.view.state?.meta) throw new UserError('importNeedsReview', 'Start the review first: comment once on this draft, then import.');
    const { threads, skipped } = importW3c(doc);
    const fingerprint = await this.fingerprint;
    const done: ImportSummary = { threads: 0, replies: 0, orphans: 0, skipped };
    const slice = slices();
    try {
      for (const t of threads) {
        if (slice.over()) await slice.yield();
        // Placed: selectors of this draft's text. Not placed: the file's, which no text here matches (an orphan).
        const { anchor, placed } = placeImported(this.page, t.anchor);
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

  async append(body: EventBody): Promise<void> {
    try {
      await this.client.request('append', { review: this.view.reviewId!, id: randomId(), body });
      if (this.view.error) this.update({ error: null });
    } catch (error) {
      this.update({ error: error instanceof Error ? error : new Error(String(error)) });
      throw error;
    }
  }

  /** The page changed: extract its text again and re-anchor every thread. */
  refreshPage(): void {
    const text = extractText(this.doc.body);
    if (text.text === this.page.text && text.segments.length === this.page.segments.length) {
      this.page = text; // same text, maybe new nodes: ranges must point at the live ones
    } else {
      this.page = text;
      this.placements.reset();
      void this.takeFingerprint();
    }
    if (this.view.state) void this.place(this.view.state);
  }

  rangeOf(threadId: string): Range | null {
    return this.view.threads.find((t) => t.thread.id === threadId)?.range ?? null;
  }

  threadAt(node: Node, offset: number): string | null {
    return this.highlighter.threadAt(node, offset);
  }

  focus(threadId: string | null): void {
    this.update({ focused: threadId });
    this.paint();
  }

  private open(id: string): void {
    if (this.view.reviewId === id) return;
    this.close();
    this.replica = new ReviewReplica(this.client.review(id), id, { vouched: this.client.vouchedFor(id) });
    this.update({ reviewId: id });
    this.unsubscribe = this.replica.subscribe((state) => {
      if (this.view.reviewId === id) void this.place(state);
    });
    void this.reportDraft();
  }

  /**
   * Tells the hub how the draft reads now, for exports (what became of each passage). The text
   * itself goes only when the hub does not have this revision yet. Best effort: an export without
   * it says the passages were not compared.
   */
  private async reportDraft(): Promise<void> {
    const review = this.view.reviewId;
    const page = this.page;
    const fingerprint = await this.fingerprint;
    if (!review || review !== this.view.reviewId || page !== this.page) return;
    const outline = outlineOf(page);
    try {
      const { need } = await this.client.request('draft-seen', { review, fingerprint, outline });
      if (need && page === this.page) await this.client.request('draft-seen', { review, fingerprint, outline, text: page.text });
    } catch {
      // A draft too large to keep, or a hub restarting: the export will say it could not compare.
    }
  }

  /** Leaves the current review (the page is another draft now). */
  private close(): void {
    if (!this.view.reviewId) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.replica = null;
    this.placing++; // a placement still running is for the old review
    this.update({ reviewId: null, state: null, threads: [] });
    this.paint();
  }

  /**
   * Anchors every thread, in slices of a few milliseconds with the page's event loop in
   * between, so a long draft with hundreds of threads never freezes. A newer call supersedes
   * one still running. Threads already placed on this page text are not matched again.
   */
  private async place(state: ReviewState): Promise<void> {
    const run = ++this.placing;
    const live = state.threads.filter(isListed);
    const placed: PlacedThread[] = [];
    const slice = slices();
    for (const thread of live) {
      if (slice.over()) {
        await slice.yield();
        if (run !== this.placing) return;
      }
      placed.push(this.placements.place(thread, this.page, this.doc));
    }
    placed.sort((a, b) => a.start - b.start || a.thread.createdAt - b.thread.createdAt);
    this.update({ state, threads: placed });
    this.paint();
    performance.mark('margins:anchored');
  }

  /** Re-extracts and re-anchors after the page's own DOM changed (debounced). */
  watchPage(): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new MutationObserver((records) => {
      // Our own host element and highlight style are not the page changing.
      if (records.every((r) => isOurs(r.target))) return;
      clearTimeout(timer);
      // A route change may show up only as new content: relocate checks the URL as well.
      timer = setTimeout(() => void this.relocate(), REANCHOR_DELAY_MS);
    });
    observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true });
    this.observer = observer;
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }

  private paint(): void {
    this.paintNow();
    // The fallback highlighter wraps text nodes: those mutations are ours, not the page's.
    this.observer?.takeRecords();
  }

  private paintNow(): void {
    this.highlighter.render(
      this.view.threads
        .filter((t) => t.range)
        .map((t) => ({
          id: t.thread.id,
          range: t.range!,
          status: t.thread.id === this.view.focused ? 'focus' : t.thread.status,
        })),
    );
  }

  private update(patch: Partial<SessionView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l(this.view);
  }
}
