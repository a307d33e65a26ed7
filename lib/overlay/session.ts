/**
 * The overlay's model of one draft page: which review it belongs to, the review's state from
 * the hub, and where each thread sits in the page. UI components render a `SessionView` and call
 * the methods here; nothing in this file touches our UI, so it runs under a DOM test environment.
 */
import { describeRange, extractText, matchQuote, textRange, type Anchor, type PageText } from '../anchoring';
import { Highlighter } from '../anchoring/highlight';
import { canonicalUrl, textFingerprint } from '../page/document-identity';
import type { EventBody } from '../review/events';
import { randomId } from '../review/ids';
import { ReviewReplica } from '../review/replica';
import type { ReviewState, Thread } from '../review/state';
import type { HubClient, LinkStatus } from '../sync/hub-client';

export interface PlacedThread {
  thread: Thread;
  /** Null when the passage is no longer in the page: an orphan. */
  range: Range | null;
  start: number;
}

export interface SessionView {
  me: { publicKey: string; name: string } | null;
  reviewId: string | null;
  state: ReviewState | null;
  threads: PlacedThread[];
  link: LinkStatus;
  /** The last action that failed, in words for the user. */
  error: string | null;
}

export class ReviewSession {
  private view: SessionView = {
    me: null,
    reviewId: null,
    state: null,
    threads: [],
    link: { connected: false, storage: { ok: true, pending: 0 } },
    error: null,
  };
  private listeners = new Set<(view: SessionView) => void>();
  private page: PageText;
  private highlighter: Highlighter;
  private replica: ReviewReplica | null = null;

  constructor(
    private client: HubClient,
    private doc: Document,
  ) {
    this.page = extractText(doc.body);
    this.highlighter = new Highlighter(doc);
    client.onStatus((link) => this.update({ link }));
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
    const found = await this.client.request('find', { canonical: canonicalUrl(this.doc) });
    if (found.length) this.open(found[0].id);
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

  /** Starts a review of this draft on the first comment; this profile becomes its chair. */
  async addComment(anchor: Anchor, body: string): Promise<void> {
    if (!this.view.reviewId) {
      const { id } = await this.client.request('create', {
        nonce: randomId(),
        title: this.doc.title.trim() || canonicalUrl(this.doc),
        url: this.doc.location.href,
        canonical: canonicalUrl(this.doc),
        fingerprint: await textFingerprint(this.page.text),
      });
      this.open(id);
    }
    await this.append({ type: 'comment.add', anchor, body });
  }

  reply(thread: string, body: string): Promise<void> {
    return this.append({ type: 'comment.add', thread, body });
  }

  async append(body: EventBody): Promise<void> {
    try {
      await this.client.request('append', { review: this.view.reviewId!, id: randomId(), body });
      if (this.view.error) this.update({ error: null });
    } catch (error) {
      this.update({ error: (error as Error).message });
      throw error;
    }
  }

  /** The page changed: extract its text again and re-anchor every thread. */
  refreshPage(): void {
    this.page = extractText(this.doc.body);
    if (this.view.state) this.place(this.view.state);
  }

  rangeOf(threadId: string): Range | null {
    return this.view.threads.find((t) => t.thread.id === threadId)?.range ?? null;
  }

  threadAt(node: Node, offset: number): string | null {
    return this.highlighter.threadAt(node, offset);
  }

  focus(threadId: string | null): void {
    this.focused = threadId;
    this.paint();
  }

  private focused: string | null = null;

  private open(id: string): void {
    if (this.view.reviewId === id) return;
    this.replica = new ReviewReplica(this.client.review(id), id);
    this.update({ reviewId: id });
    this.replica.subscribe((state) => this.place(state));
  }

  private place(state: ReviewState): void {
    const threads: PlacedThread[] = state.threads
      .filter((t) => t.comments.some((c) => !c.deleted))
      .map((thread) => {
        const m = matchQuote(this.page.text, thread.anchor.quote, thread.anchor.position);
        const range = m ? textRange(this.page, m.start, m.end, this.doc) : null;
        return { thread, range, start: range && m ? m.start : Infinity };
      })
      .sort((a, b) => a.start - b.start || a.thread.createdAt - b.thread.createdAt);
    this.update({ state, threads });
    this.paint();
  }

  private paint(): void {
    this.highlighter.render(
      this.view.threads
        .filter((t) => t.range)
        .map((t) => ({
          id: t.thread.id,
          range: t.range!,
          status: t.thread.id === this.focused ? 'focus' : t.thread.status,
        })),
    );
  }

  private update(patch: Partial<SessionView>): void {
    this.view = { ...this.view, ...patch };
    for (const l of this.listeners) l(this.view);
  }
}
