/**
 * The page text that selectors count in. Describing and anchoring use the same extraction,
 * so positions agree. Rules (documented in docs/anchoring.md):
 * - text of Text nodes in document order; script, style, template, noscript, `hidden`
 *   elements and our own UI are skipped;
 * - a run of ASCII whitespace collapses to one space, as the browser renders it
 *   (not inside <pre>, <textarea>); a no-break space is kept as is;
 * - each block boundary and each <br> is one "\n", never doubled, with no space before it;
 * - offsets count UTF-16 code units, like String indices and DOM offsets.
 */

export interface Segment {
  node: Text;
  /** Offset of the segment's first character in the extracted text. */
  start: number;
  end: number;
  /** For each extracted character, its offset in node.data; absent when they are the same. */
  map?: number[];
}

export interface Heading {
  start: number;
  text: string;
  /** 1–6, from the element (h1–h6): the draft's outline in exports. */
  level: number;
}

export interface PageText {
  text: string;
  segments: Segment[];
  headings: Heading[];
  bySegmentNode: Map<Text, Segment>;
}

const SKIP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT', 'HEAD', 'IFRAME', 'OBJECT', 'SVG', 'CANVAS', 'VIDEO', 'AUDIO', 'SELECT']);
const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BODY', 'CAPTION', 'DD', 'DETAILS', 'DIALOG', 'DIV', 'DL', 'DT', 'FIELDSET',
  'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HGROUP', 'HR', 'HTML', 'LI', 'MAIN',
  'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'TD', 'TFOOT', 'TH', 'THEAD', 'TR', 'UL', 'LEGEND', 'OPTION',
]);
const HEADING = /^H[1-6]$/;

/** Elements with this attribute (our sidebar host) are not part of the page text. */
export const IGNORE_ATTR = 'data-margins-ui';

export function extractText(root: Node): PageText {
  // The text is built from parts (never by slicing the growing string: pages are megabytes).
  const parts: string[] = [];
  let length = 0;
  let last = ''; // last character of the text so far
  const segments: Segment[] = [];
  const headings: Heading[] = [];
  let preDepth = 0;

  const push = (part: string) => {
    parts.push(part);
    length += part.length;
    last = part[part.length - 1];
  };

  const boundary = () => {
    if (!length || last === '\n') return;
    if (last === ' ') {
      // Drop the trailing space (it ends the last part, the last segment's) so "end. \nNext" reads "end.\nNext".
      const part = parts.pop()!;
      length--;
      const seg = segments[segments.length - 1];
      if (seg && seg.end === length + 1) {
        seg.end--;
        seg.map?.pop();
        if (seg.end === seg.start) segments.pop();
      }
      if (part.length > 1) push(part.slice(0, -1));
      else last = parts.length ? parts[parts.length - 1][parts[parts.length - 1].length - 1] : '';
      if (!length || last === '\n') return;
    }
    push('\n');
  };

  const addText = (node: Text) => {
    const data = node.data;
    if (!data) return;
    if (preDepth > 0) {
      segments.push({ node, start: length, end: length + data.length });
      push(data);
      return;
    }
    let out = '';
    const map: number[] = [];
    let atSpace = length === 0 || last === ' ' || last === '\n';
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      const space = c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
      if (space && atSpace) continue;
      atSpace = space;
      map.push(i);
      out += space ? ' ' : data[i];
    }
    if (!out) return;
    // Most text nodes lose no character: keep the map only where offsets differ.
    const identity = out.length === data.length;
    segments.push({ node, start: length, end: length + out.length, ...(identity ? {} : { map }) });
    push(out);
  };

  const walk = (node: Node) => {
    if (node.nodeType === 3) return addText(node as Text);
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const el = node as Element;
    const tag = node.nodeType === 1 ? el.tagName.toUpperCase() : '';
    if (tag) {
      if (SKIP.has(tag) || el.hasAttribute('hidden') || el.hasAttribute(IGNORE_ATTR)) return;
      if (tag === 'BR') return boundary();
    }
    const block = BLOCK.has(tag);
    const pre = tag === 'PRE' || tag === 'TEXTAREA';
    if (block) boundary();
    if (HEADING.test(tag)) {
      // A heading without words (an icon, an empty element) names no section: a passage under it
      // stays in the section before, where the outline of an export puts it too.
      const title = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
      if (title) headings.push({ start: length, text: title, level: Number(tag[1]) });
    }
    if (pre) preDepth++;
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
    if (pre) preDepth--;
    if (block) boundary();
  };

  walk(root);
  if (last === ' ' || last === '\n') boundary();
  let text = parts.join('');
  if (text.endsWith('\n')) text = text.slice(0, -1);
  return { text, segments, headings, bySegmentNode: new Map(segments.map((s) => [s.node, s])) };
}

/** Index of the last segment starting at or before `offset`. */
function segmentAt(page: PageText, offset: number): number {
  let lo = 0;
  let hi = page.segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (page.segments[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function nodeOffset(seg: Segment, i: number): number {
  if (!seg.map) return i;
  return i < seg.map.length ? seg.map[i] : seg.map.length ? seg.map[seg.map.length - 1] + 1 : 0;
}

/** The DOM range for [start, end) of the text; offsets that fall on separators snap inwards. */
export function textRange(page: PageText, start: number, end: number, doc: Document): Range | null {
  if (end <= start || !page.segments.length) return null;
  let si = segmentAt(page, start);
  if (si < 0 || page.segments[si].end <= start) si++; // start falls on a separator: next segment
  let ei = segmentAt(page, end - 1);
  if (si >= page.segments.length || ei < 0 || ei < si) return null;
  const s = page.segments[si];
  const e = page.segments[ei];
  const range = doc.createRange();
  range.setStart(s.node, nodeOffset(s, Math.max(0, start - s.start)));
  range.setEnd(e.node, nodeOffset(e, Math.min(e.end, end) - e.start - 1) + 1);
  return range;
}

/** Text offset of a DOM boundary point (as in a selection Range). */
export function textOffset(page: PageText, container: Node, offset: number): number {
  if (container.nodeType === 3) {
    const seg = page.bySegmentNode.get(container as Text);
    if (seg) {
      if (!seg.map) return seg.start + Math.min(offset, seg.end - seg.start);
      let i = 0;
      while (i < seg.map.length && seg.map[i] < offset) i++;
      return seg.start + i;
    }
  }
  // The first extracted text node at or after the boundary point (a selection ending on an element:
  // a triple click, a drag past a paragraph's end). Segments are in document order, so "at or after"
  // holds from some segment on: found by bisection (walking them took 145 ms on 25,000 segments).
  const doc = container.ownerDocument ?? (container as Document);
  const probe = doc.createRange();
  probe.setStart(container, offset);
  const atOrAfter = (seg: Segment) => probe.comparePoint(seg.node, 0) >= 0 || probe.comparePoint(seg.node, seg.node.length) > 0;
  let lo = 0;
  let hi = page.segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (atOrAfter(page.segments[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo < page.segments.length ? page.segments[lo].start : page.text.length;
}

export function sectionAt(page: PageText, offset: number): string | undefined {
  let found: string | undefined;
  for (const h of page.headings) {
    if (h.start > offset) break;
    found = h.text;
  }
  return found;
}
