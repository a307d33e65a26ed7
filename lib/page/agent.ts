/**
 * What Margins runs inside a draft's page: the page's text, where each thread's passage is, the
 * highlights, and the selection. It never holds a comment, a name or a decision: the panel (an
 * extension page the draft cannot reach) sends only thread ids and their anchors, which quote the
 * draft's own text. Nothing here touches our UI, so it runs under a DOM test environment.
 */
import { describeOffsets, describeRange, extractText, IGNORE_ATTR, matchQuote, type Anchor, type PageText } from '../anchoring';
import { Highlighter } from '../anchoring/highlight';
import { outlineOf } from '../export/outline';
import type { OutlineEntry } from '../export/input';
import { canonicalUrl, textFingerprint } from './document-identity';
import { Placements, type AnchorRequest, type Placement } from './placement';

const SLICE_MS = 12;
const REANCHOR_DELAY_MS = 300;

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
    return describeRange(this.page, selection.getRangeAt(0));
  }

  /**
   * Finds every thread's passage and paints the highlights, unless a newer call (from this panel or
   * another on the same tab) came meanwhile: the newest paints. Threads already placed on this
   * page text are not matched again.
   */
  async place(threads: AnchorRequest[]): Promise<Placement[]> {
    const run = ++this.placing;
    this.asked = threads;
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
    this.highlighter.forget();
    this.observer?.takeRecords();
  }

  /**
   * Watches the page's own DOM and address: `onChange` hears when the text (or the draft) changed,
   * once its fingerprint is ready. The same text drawn anew is placed again here, on the live nodes.
   * Debounced; our highlights are not the page changing.
   */
  watch(onChange: () => void): () => void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    this.onChange = onChange;
    this.lastUrl = this.doc.location.href;
    const observer = new MutationObserver((records) => {
      if (records.every((r) => isOurs(r.target))) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.recheck(), REANCHOR_DELAY_MS);
    });
    observer.observe(this.doc.body, { childList: true, subtree: true, characterData: true });
    this.observer = observer;
    return () => {
      clearTimeout(timer);
      observer.disconnect();
      this.observer = null;
      this.onChange = () => {};
    };
  }

  /** Looks at the page again now (a single-page app changed route, say). */
  recheck(): void {
    if (this.refresh() || this.doc.location.href !== this.lastUrl) {
      this.lastUrl = this.doc.location.href;
      void this.fingerprint.then(() => this.onChange());
    } else if (this.asked.length) void this.place(this.asked);
  }

  /** Extracts the text again; true when it reads differently (threads must be placed again). */
  private refresh(): boolean {
    const text = extractText(this.doc.body);
    const same = text.text === this.page.text && text.segments.length === this.page.segments.length;
    this.page = text; // same text, maybe new nodes: ranges must point at the live ones
    if (same) return false;
    this.placements.reset();
    this.fingerprint = textFingerprint(text.text);
    return true;
  }

  private paint(): void {
    this.highlighter.render([...this.ranges].map(([id, range]) => ({ id, range, status: id === this.focused ? 'focus' : 'thread' })));
    // The fallback highlighter wraps text nodes: those mutations are ours, not the page's.
    this.observer?.takeRecords();
  }
}
