/**
 * Highlights for anchored threads. Uses the CSS Custom Highlight API where the browser has it:
 * ranges are painted without touching the page's DOM, so the page's own scripts and styles are
 * undisturbed. Elsewhere, text nodes are wrapped in <margins-hl> elements that are removed cleanly.
 */
export type HighlightStatus = 'open' | 'resolved' | 'focus';

export interface HighlightSpec {
  id: string;
  range: Range;
  status: HighlightStatus;
}

const NAMES: Record<HighlightStatus, string> = { open: 'margins-open', resolved: 'margins-resolved', focus: 'margins-focus' };
const STYLE_ID = 'margins-highlight-style';
const FALLBACK_TAG = 'margins-hl';

const CSS_TEXT = `
::highlight(margins-open) { background-color: rgba(255, 200, 0, 0.38); }
::highlight(margins-resolved) { background-color: rgba(60, 170, 90, 0.22); }
::highlight(margins-focus) { background-color: rgba(255, 140, 0, 0.6); }
${FALLBACK_TAG} { all: unset; display: inline; }
${FALLBACK_TAG}[data-status="open"] { background-color: rgba(255, 200, 0, 0.38); }
${FALLBACK_TAG}[data-status="resolved"] { background-color: rgba(60, 170, 90, 0.22); }
${FALLBACK_TAG}[data-status="focus"] { background-color: rgba(255, 140, 0, 0.6); }
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
    this.clear();
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

  clear(): void {
    const api = registry(this.doc.defaultView!);
    if (api) for (const name of Object.values(NAMES)) api.highlights.delete(name);
    for (const el of this.wrapped) {
      const parent = el.parentNode;
      if (!parent) continue;
      while (el.firstChild) parent.insertBefore(el.firstChild, el);
      parent.removeChild(el);
      parent.normalize();
    }
    this.wrapped = [];
    this.specs = [];
  }

  private ensureStyle(): void {
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
      if (to < text.length) text.splitText(to);
      const target = from > 0 ? text.splitText(from) : text;
      const el = this.doc.createElement(FALLBACK_TAG);
      el.dataset.status = spec.status;
      el.dataset.thread = spec.id;
      target.parentNode!.insertBefore(el, target);
      el.appendChild(target);
      this.wrapped.push(el);
    }
  }
}
