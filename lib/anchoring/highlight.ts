/**
 * Highlights for anchored threads. Uses the CSS Custom Highlight API where the browser has it:
 * ranges are painted without touching the page's DOM, so the page's own scripts and styles are
 * undisturbed. Elsewhere, text nodes are wrapped in <margins-hl> elements that are removed cleanly.
 *
 * The page can read both (its highlight registry, its DOM), so they say as little as a visible
 * highlight must: which passages carry a thread, and which one the reader selected. No thread id,
 * no status (open or resolved is shown in the panel). See docs/security.md.
 */
export type HighlightStatus = 'thread' | 'focus';

export interface HighlightSpec {
  id: string;
  range: Range;
  status: HighlightStatus;
}

const NAMES: Record<HighlightStatus, string> = { thread: 'margins', focus: 'margins-focus' };
const STYLE_ID = 'margins-highlight-style';
const FALLBACK_TAG = 'margins-hl';

const CSS_TEXT = `
::highlight(margins) { background-color: rgba(255, 200, 0, 0.38); }
::highlight(margins-focus) { background-color: rgba(255, 140, 0, 0.6); }
${FALLBACK_TAG} { all: unset; display: inline; background-color: rgba(255, 200, 0, 0.38); }
${FALLBACK_TAG}[data-focus] { background-color: rgba(255, 140, 0, 0.6); }
`;

interface HighlightRegistry {
  set(name: string, value: unknown): void;
  delete(name: string): void;
}

function registry(win: Window): { highlights: HighlightRegistry; Highlight: new (...ranges: Range[]) => unknown } | null {
  const w = win as unknown as { CSS?: { highlights?: HighlightRegistry }; Highlight?: new (...ranges: Range[]) => unknown };
  return w.CSS?.highlights && w.Highlight ? { highlights: w.CSS.highlights, Highlight: w.Highlight } : null;
}

export class Highlighter {
  private wrapped: HTMLElement[] = [];
  private specs: HighlightSpec[] = [];

  constructor(
    private doc: Document,
    private forceFallback = false,
  ) {}

  get usesCustomHighlights(): boolean {
    return !this.forceFallback && !!registry(this.doc.defaultView!);
  }

  /** Replaces all highlights with these. */
  render(specs: HighlightSpec[]): void {
    this.clear(specs.map((s) => s.range));
    this.specs = specs;
    this.ensureStyle();
    const api = this.forceFallback ? null : registry(this.doc.defaultView!);
    if (api) {
      for (const status of Object.keys(NAMES) as HighlightStatus[]) {
        const ranges = specs.filter((s) => s.status === status).map((s) => s.range);
        if (ranges.length) api.highlights.set(NAMES[status], new api.Highlight(...ranges));
      }
    } else {
      for (const spec of specs) this.wrap(spec);
    }
  }

  /** The thread whose highlight contains this point, innermost (shortest) first. */
  threadAt(node: Node, offset: number): string | null {
    let best: HighlightSpec | null = null;
    for (const spec of this.specs) {
      try {
        if (!spec.range.isPointInRange(node, offset)) continue;
      } catch {
        continue;
      }
      if (!best || spec.range.toString().length < best.range.toString().length) best = spec;
    }
    return best?.id ?? null;
  }

  /** Removes every highlight and the style sheet: no panel looks at the page any more. */
  forget(): void {
    this.clear();
    this.doc.getElementById(STYLE_ID)?.remove();
  }

  /** Removes every highlight; `keep` are ranges (besides the current ones) that must stay valid. */
  clear(keep: Range[] = []): void {
    const api = registry(this.doc.defaultView!);
    if (api) for (const name of Object.values(NAMES)) api.highlights.delete(name);
    const parents = new Set<Node>();
    const ranges = [...this.specs.map((s) => s.range), ...keep];
    this.keepRanges(ranges, () => {
      for (const el of this.wrapped) {
        const parent = el.parentNode;
        if (!parent) continue;
        while (el.firstChild) parent.insertBefore(el.firstChild, el);
        parent.removeChild(el);
        parents.add(parent);
      }
    });
    for (const parent of parents) this.mergeTexts(parent, ranges);
    this.wrapped = [];
    this.specs = [];
  }

  /** Joins the text nodes wrapping split apart (like normalize(), keeping the ranges on their text). */
  private mergeTexts(parent: Node, ranges: Range[]): void {
    for (let child = parent.firstChild; child; ) {
      const next = child.nextSibling;
      if (child.nodeType === 3 && next?.nodeType === 3) {
        const [a, b] = [child as Text, next as Text];
        const shift = a.length;
        const touched = ranges.filter((r) => r.startContainer === b || r.endContainer === b);
        this.keepRanges(
          touched,
          () => {
            a.appendData(b.data);
            b.remove();
          },
          (n, o) => (n === b ? [a, shift + o] : [n, o]),
        );
        continue; // the same node may now meet another text node
      }
      child = next;
    }
  }

  /**
   * Moving a text node collapses every live range inside it to the node's old place, and the
   * threads' ranges are what scrolling and clicks rely on: put their boundaries back afterwards.
   */
  private keepRanges(ranges: Range[], move: () => void, where: (node: Node, offset: number) => [Node, number] = (n, o) => [n, o]): void {
    const saved = ranges.map((r) => [r.startContainer, r.startOffset, r.endContainer, r.endOffset] as const);
    move();
    ranges.forEach((r, i) => {
      const [sc, so, ec, eo] = saved[i];
      try {
        r.setStart(...where(sc, so));
        r.setEnd(...where(ec, eo));
      } catch {
        // a boundary node left the document: the next placement computes a new range
      }
    });
  }

  /**
   * Puts the highlights' style sheet in the page (once). Any new sheet makes the browser restyle
   * the whole page, 0.1 s on a long draft: a caller that knows highlights are coming adds it early.
   */
  ensureStyle(): void {
    if (this.doc.getElementById(STYLE_ID)) return;
    const style = this.doc.createElement('style');
    style.id = STYLE_ID;
    style.textContent = CSS_TEXT;
    (this.doc.head ?? this.doc.documentElement).appendChild(style);
  }

  private wrap(spec: HighlightSpec): void {
    const { range } = spec;
    const root = range.commonAncestorContainer;
    const texts: Text[] = [];
    if (root.nodeType === 3) texts.push(root as Text);
    else {
      const walker = this.doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if (range.intersectsNode(n)) texts.push(n as Text);
    }
    // Offsets first: splitting nodes moves the range's boundaries.
    const parts = texts.map((text) => ({
      text,
      from: text === range.startContainer ? range.startOffset : 0,
      to: text === range.endContainer ? range.endOffset : text.length,
    }));
    for (const { text, from, to } of parts) {
      if (to <= from || !text.data.slice(from, to).trim()) continue;
      const el = this.doc.createElement(FALLBACK_TAG);
      if (spec.status === 'focus') el.dataset.focus = '';
      // Boundaries in this text node are re-expressed in the pieces it is split into by hand:
      // not every DOM keeps live ranges in step with splitText.
      // Only ranges with a boundary in this node can be disturbed: looking at all of them for
      // every wrapped piece would make a page of many highlights quadratic.
      let target = text;
      let tail: Text | null = null;
      this.keepRanges(
        this.specs.map((s) => s.range).filter((r) => r.startContainer === text || r.endContainer === text),
        () => {
          if (to < text.length) tail = text.splitText(to);
          if (from > 0) target = text.splitText(from);
          target.parentNode!.insertBefore(el, target);
          el.appendChild(target);
        },
        (node, offset) => {
          if (node !== text) return [node, offset];
          if (offset < from) return [text, offset];
          if (offset <= to || !tail) return [target, Math.min(offset - from, target.length)];
          return [tail, offset - to];
        },
      );
      this.wrapped.push(el);
    }
  }
}
