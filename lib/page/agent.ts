/**
 * What Margins runs inside a draft's page: the page's text, where each thread's passage is, the
 * highlights, and the selection. It never holds a comment, a name or a decision: the panel (an
 * extension page the draft cannot reach) sends only thread ids and their anchors, which quote the
 * draft's own text. Nothing here touches our UI, so it runs under a DOM test environment.
 */
import { describeOffsets, describeRange, extractText, IGNORE_ATTR, matchQuote, type Anchor, type PageText } from '../anchoring';
import type { Segment } from '../anchoring/text';
import { Highlighter } from '../anchoring/highlight';
import { outlineOf } from '../export/outline';
import type { OutlineEntry } from '../export/input';
import { canonicalUrl, textFingerprint } from './document-identity';
import { Placements, type AnchorRequest, type Placement } from './placement';

const SLICE_MS = 12;
const REANCHOR_DELAY_MS = 300;
/** A page that keeps changing (a clock, a ticker) is read again at least this often all the same. */
const REANCHOR_MAX_WAIT_MS = 1_500;

/** Which draft the page is, and how it reads now. */
export interface PageInfo {
  canonical: string;
  url: string;
  title: string;
  /** Fingerprint of the page text as it is now. */
  fingerprint: string;
  outline: OutlineEntry[];
}

function isOurs(node: Node): boolean {
  const el = node.nodeType === 1 ? (node as Element) : node.parentElement;
  return !!el?.closest(`[${IGNORE_ATTR}], #margins-highlight-style, margins-hl`);
}

/**
 * Changes that can alter the page text: not ours, not in <head> (scripts and styles come and go
 * there). The page editing the text of a passage we highlight is the page's change: a text node
 * inside one of our wrappers is still the page's text.
 */
function matters(records: MutationRecord[], doc: Document): boolean {
  return records.some((r) => {
    if (doc.head && doc.head.contains(r.target)) return false;
    if (r.type === 'characterData') return !r.target.parentElement?.closest(`[${IGNORE_ATTR}], #margins-highlight-style`);
    return !isOurs(r.target);
  });
}

/** The same segments: the same nodes, holding the same stretches of the text the same way. */
function sameSegments(a: Segment[], b: Segment[]): boolean {
  return (
    a.length === b.length &&
    a.every((s, i) => {
      const t = b[i];
      return s.node === t.node && s.start === t.start && s.end === t.end && (s.map ?? []).join() === (t.map ?? []).join();
    })
  );
}

/** Gives the page's event loop a turn every SLICE_MS: a long draft with many threads never freezes. */
function slices(): () => Promise<void> {
  let start = performance.now();
  return async () => {
    if (performance.now() - start <= SLICE_MS) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    start = performance.now();
  };
}

export class PageAgent {
  private page: PageText;
  private fingerprint: Promise<string>;
  private highlighter: Highlighter;
  private placements = new Placements();
  /** Live ranges of the threads placed last, by id. */
  private ranges = new Map<string, Range>();
  private focused: string | null = null;
  /** What the panel asked to place last: placed again on the live nodes when the page redraws the same text. */
  private asked: AnchorRequest[] = [];
  /** Increases with every placement, so a newer one supersedes one still running. */
  private placing = 0;
  private observer: MutationObserver | null = null;
  /** A read of the page waiting for the changes to settle (see watch). */
  private pending: { timer: ReturnType<typeof setTimeout>; since: number } | null = null;
  private onChange: () => void = () => {};
  private lastUrl = '';

  constructor(private doc: Document) {
    performance.mark('margins:extract-start');
    this.page = extractText(doc.body);
    performance.mark('margins:extracted');
    this.fingerprint = textFingerprint(this.page.text);
    this.highlighter = new Highlighter(doc);
  }

  async info(): Promise<PageInfo> {
    const page = this.page;
    const fingerprint = await this.fingerprint;
    // A panel asking this will send anchors: the style goes in a turn after this answer, so that the
    // page restyles while the panel reads the review, not in the same task as the highlights' first paint.
    setTimeout(() => this.highlighter.ensureStyle(), 0);
    return { canonical: canonicalUrl(this.doc), url: this.doc.location.href, title: this.doc.title.trim(), fingerprint, outline: outlineOf(page) };
  }

  /** The page text, for a hub that does not have this revision yet (exports compare revisions). */
  text(): string {
    return this.page.text;
  }

  /** Selectors for the selection, or null when it selects no page text. */
  describeSelection(selection: Selection | null = this.doc.getSelection()): Anchor | null {
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    if (this.unread()) this.settle();
    return describeRange(this.page, selection.getRangeAt(0));
  }

  /**
   * Whether the page changed since it was last read (a change still settling): a comment must
   * quote the words as they are, and a passage be placed on the nodes that are there.
   */
  private unread(): boolean {
    if (!this.observer) return false;
    return matters(this.observer.takeRecords(), this.doc) || !!this.pending;
  }

  /**
   * Finds every thread's passage and paints the highlights, unless a newer call (from this panel or
   * another on the same tab) came meanwhile: the newest paints. Threads already placed on this
   * page text are not matched again.
   */
  async place(threads: AnchorRequest[]): Promise<Placement[]> {
    const run = ++this.placing;
    this.asked = threads;
    // Read, not rechecked: this placement is the one a recheck would make.
    if (this.unread()) {
      this.stopWaiting();
      this.read();
    }
    const out: Placement[] = [];
    const ranges = new Map<string, Range>();
    const turn = slices();
    for (const thread of threads) {
      await turn();
      const { placement, range } = this.placements.place(thread, this.page, this.doc);
      out.push(placement);
      if (range) ranges.set(thread.id, range);
    }
    if (run === this.placing) {
      this.ranges = ranges;
      this.paint();
      performance.mark('margins:anchored');
    }
    return out;
  }

  /**
   * Where imported passages (another tool's selectors) sit in this page: found by the matcher, each
   * gets fresh selectors (this page's text, section and offsets); not found, it keeps the file's
   * and is an orphan.
   */
  async placeAnchors(anchors: Anchor[]): Promise<{ anchor: Anchor; placed: boolean }[]> {
    const out: { anchor: Anchor; placed: boolean }[] = [];
    const turn = slices();
    for (const anchor of anchors) {
      await turn();
      const match = matchQuote(this.page.text, anchor.quote, anchor.position);
      out.push(match ? { anchor: describeOffsets(this.page, match.start, match.end), placed: true } : { anchor, placed: false });
    }
    return out;
  }

  focus(id: string | null): void {
    this.focused = id;
    this.paint();
  }

  /** Scrolls the thread's passage into view. */
  show(id: string): void {
    this.ranges.get(id)?.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  threadAt(node: Node, offset: number): string | null {
    return this.highlighter.threadAt(node, offset);
  }

  /** No panel looks at this page any more: the page keeps no trace of the review. */
  clear(): void {
    this.placing++;
    this.asked = [];
    this.ranges = new Map();
    this.focused = null;
    this.keepTheirs();
    this.highlighter.forget();
    this.observer?.takeRecords();
    this.remap();
  }

  /**
   * Watches the page's own DOM and address: `onChange` hears when the text (or the draft) changed,
   * once its fingerprint is ready. The same text drawn anew is placed again here, on the live nodes.
   * Debounced; our highlights are not the page changing.
   */
  watch(onChange: () => void): () => void {
    this.onChange = onChange;
    this.lastUrl = this.doc.location.href;
    const observer = new MutationObserver((records) => {
      if (matters(records, this.doc)) this.waitForQuiet();
    });
    // The whole document: a page may swap its <body> (Turbo, pjax); `hidden` removed shows text.
    observer.observe(this.doc.documentElement, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
    this.observer = observer;
    return () => {
      if (this.pending) clearTimeout(this.pending.timer);
      this.pending = null;
      observer.disconnect();
      this.observer = null;
      this.onChange = () => {};
    };
  }

  /** The page changed: it is read again after REANCHOR_DELAY_MS of quiet, but never later than REANCHOR_MAX_WAIT_MS. */
  private waitForQuiet(): void {
    const since = this.pending?.since ?? performance.now();
    if (this.pending) clearTimeout(this.pending.timer);
    const wait = Math.max(0, Math.min(REANCHOR_DELAY_MS, since + REANCHOR_MAX_WAIT_MS - performance.now()));
    this.pending = { timer: setTimeout(() => this.settle(), wait), since };
  }

  /**
   * Before our highlights change the DOM (whose records are then dropped as ours): the page's own
   * changes not yet delivered to the observer are kept waiting for, not dropped with them.
   */
  private keepTheirs(): void {
    if (this.observer && matters(this.observer.takeRecords(), this.doc)) this.waitForQuiet();
  }

  /** The changes waited for are in: the page is read again. */
  private settle(): void {
    this.stopWaiting();
    this.recheck();
  }

  private stopWaiting(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
  }

  /** Looks at the page again now (a single-page app changed route, say). */
  recheck(): void {
    if (this.read() === 'moved' && this.asked.length) void this.place(this.asked);
  }

  /**
   * Reads the page again and tells the panel when it reads differently or its address changed
   * ('announced'); 'moved': the same words in other nodes, for the caller to place again.
   */
  private read(): 'announced' | 'moved' | 'same' {
    const found = this.refresh();
    if (found === 'changed' || this.doc.location.href !== this.lastUrl) {
      this.announce();
      return 'announced';
    }
    return found;
  }

  /** Tells the panel the page reads differently (once its fingerprint is ready). */
  private announce(): void {
    this.lastUrl = this.doc.location.href;
    void this.fingerprint.then(() => this.onChange());
  }

  /**
   * Extracts the text again: 'changed' when it reads differently (threads must be placed again),
   * 'moved' when the same words lie in other nodes (a script wrapped a term: the same placements,
   * made again on the live nodes, and nothing for the panel to do), 'same' otherwise.
   */
  private refresh(): 'changed' | 'moved' | 'same' {
    const text = extractText(this.doc.body);
    const before = this.page;
    this.page = text;
    if (text.text !== before.text) {
      this.placements.reset();
      this.fingerprint = textFingerprint(text.text);
      return 'changed';
    }
    return sameSegments(text.segments, before.segments) ? 'same' : 'moved';
  }

  /**
   * The fallback highlighter wraps and unwraps text nodes: the page reads the same from other
   * nodes, which the next selection or placement must map. Only the same words: a change of the
   * page's own, still settling, is left to settle (read here, it would go unannounced).
   */
  private remap(): void {
    if (this.highlighter.usesCustomHighlights || this.pending) return; // a read is coming: it decides
    const text = extractText(this.doc.body);
    if (text.text === this.page.text) this.page = text;
    else this.waitForQuiet(); // the page changed unseen: read it as any change
  }

  private paint(): void {
    this.keepTheirs();
    this.highlighter.render([...this.ranges].map(([id, range]) => ({ id, range, status: id === this.focused ? 'focus' : 'thread' })));
    // The fallback highlighter's own mutations are not the page changing.
    this.observer?.takeRecords();
    this.remap();
  }
}
