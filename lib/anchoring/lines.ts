/**
 * Evidence for passages in short lines (table cells, list items, headings): the recorded context of
 * such a passage is mostly other lines, so whether it still fits is a question about lines, asked
 * here of the page's own line breaks:
 *
 * - `reordered`: the quote's line is intact and every recorded neighbour line is still around it,
 *   but the line has changed places with the neighbour just before or after it (a list reordered),
 *   or a new line was put next to it.
 * - `framed`: the quote was edited, but the rest of its own line is intact where its line breaks are,
 *   and its neighbour line on the edited side is still there, up to a word or two (a cell edited).
 * - `isNeighbourLine`, `missingNeighbour`: a candidate that is a recorded neighbour line, or that
 *   lacks one, is another line or another row of a template, not the passage.
 */
import { normalize } from './normalize';

/** The recorded context of a quote as lines, each normalised (typography folded, trimmed). */
export interface RecordedLines {
  /** The quote's own line before and after the quote, as recorded, and all of it. */
  lead: string;
  tail: string;
  line: string;
  /** Whether the recorded context reaches the line break before / after the quote's line. */
  lineBefore: boolean;
  lineAfter: boolean;
  /** Neighbour lines, nearest first; the farthest one may be cut by the context's length. */
  before: string[];
  after: string[];
}

/** The page's lines around a span, in the same form as `RecordedLines`. */
export interface PageLines {
  lead: string;
  tail: string;
  /** The whole line the span is in. */
  line: string;
  before: string[];
  after: string[];
}

const folded = (s: string) => normalize(s).text.trim();

/** The recorded context's lines; null when it reaches no line break or the quote spans lines. */
export function recordedLines(prefix: string, exact: string, suffix: string): RecordedLines | null {
  if (exact.includes('\n')) return null;
  const pre = prefix.split('\n');
  const suf = suffix.split('\n');
  if (pre.length === 1 && suf.length === 1) return null;
  return {
    lead: folded(pre[pre.length - 1]),
    tail: folded(suf[0]),
    line: folded(pre[pre.length - 1] + exact + suf[0]),
    lineBefore: pre.length > 1,
    lineAfter: suf.length > 1,
    before: pre.slice(0, -1).reverse().map(folded),
    after: suf.slice(1).map(folded),
  };
}

/**
 * Longest piece of a page line folded whole. Recorded lines are at most the context's 64
 * characters, and only their ends are compared with a longer line: a longer one is folded as its
 * two ends around an ellipsis, which no folded line holds (folding spells it out as three dots).
 * A page that is one 2 MB line, folded whole for each of its candidates, took seconds.
 */
const LINE_FOLDED = 1024;
const ELIDED = '\u2026';

function foldedPart(text: string, s: number, e: number): string {
  if (e - s <= LINE_FOLDED) return folded(text.slice(s, e));
  const half = LINE_FOLDED >> 1;
  return folded(text.slice(s, s + half)) + ELIDED + folded(text.slice(e - half, e));
}

/** The page's lines around [start, end) of `text`: its own line and `count` lines either side. */
export function pageLines(text: string, start: number, end: number, count: number): PageLines {
  const ls = text.lastIndexOf('\n', start - 1) + 1;
  const found = text.indexOf('\n', end);
  const le = found === -1 ? text.length : found;
  const before: string[] = [];
  for (let e = ls - 1; e > 0 && before.length < count; ) {
    const s = text.lastIndexOf('\n', e - 1) + 1;
    before.push(foldedPart(text, s, e));
    e = s - 1;
  }
  const after: string[] = [];
  for (let s = le + 1; s <= text.length && le < text.length && after.length < count; ) {
    const next = text.indexOf('\n', s);
    const e = next === -1 ? text.length : next;
    after.push(foldedPart(text, s, e));
    if (next === -1) break;
    s = e + 1;
  }
  return { lead: foldedPart(text, ls, start), tail: foldedPart(text, end, le), line: foldedPart(text, ls, le), before, after };
}

/** Whether the page's rest of the quote's line is the recorded one, line breaks included. */
export function inLineIntact(rec: RecordedLines, page: PageLines): boolean {
  const lead = rec.lineBefore ? page.lead === rec.lead : page.lead.endsWith(rec.lead);
  const tail = rec.lineAfter ? page.tail === rec.tail : page.tail.startsWith(rec.tail);
  return lead && tail;
}

/**
 * Whether page lines (nearest first) are the recorded ones, in order; the last recorded line may be
 * cut where the context ended (`cutAtStart`: before, for lines above; otherwise after).
 */
function linesMatch(page: string[], recorded: string[], cutAtStart: boolean): boolean {
  if (page.length < recorded.length) return false;
  return recorded.every((r, k) => (k < recorded.length - 1 ? page[k] === r : cutAtStart ? page[k].endsWith(r) : page[k].startsWith(r)));
}

/** The fewest characters of a neighbour line cut by the context's length that identify it. */
const CUT_LINE = 12;

/**
 * Whether the page line a candidate is in is one of the recorded neighbour lines: then the
 * candidate is that neighbour (a deleted line's neighbour now where the line was, or a copy of
 * the line next to it), and the lines say nothing for it. Not when the quote's own line may look
 * like that neighbour too (`ownLineAlike`): then the lines cannot tell them apart.
 */
export function isNeighbourLine(rec: RecordedLines, page: PageLines): boolean {
  return neighbourLike(rec, page.line, true, true) && !ownLineAlike(rec);
}

/**
 * Whether the quote's own line, known only up to the recorded line breaks, may look like a neighbour
 * line; with `unknownAlike` false, only what is known of it counts.
 */
export function ownLineAlike(rec: RecordedLines, unknownAlike = true): boolean {
  return neighbourLike(rec, rec.line, rec.lineBefore, rec.lineAfter, unknownAlike);
}

/**
 * Whether `line`, known from its start and to its end only where `startKnown` and `endKnown` say,
 * may be one of the recorded neighbour lines (whole lines, or the farthest ones cut by the context,
 * which must be CUT_LINE long to identify anything).
 */
function neighbourLike(rec: RecordedLines, line: string, startKnown: boolean, endKnown: boolean, unknownAlike = true): boolean {
  const whole = (l: string) => (startKnown && endKnown ? l === line : startKnown ? l.startsWith(line) : endKnown ? l.endsWith(line) : l.includes(line));
  // A line cut after its start (below the quote) or before its end (above it).
  const cutAfter = (l: string) => l.length >= CUT_LINE && (startKnown ? line.startsWith(l) || (!endKnown && l.startsWith(line)) : unknownAlike);
  const cutBefore = (l: string) => l.length >= CUT_LINE && (endKnown ? line.endsWith(l) || (!startKnown && l.endsWith(line)) : unknownAlike);
  const any = (lines: string[], cut: (l: string) => boolean) => lines.some((l, k) => (k === lines.length - 1 ? cut(l) : whole(l)));
  return any(rec.before, cutBefore) || any(rec.after, cutAfter);
}

/** The fewest characters of a recorded neighbour line that make a swap with it evidence. */
const SWAPPED_LINE = 4;
/** The fewest characters of recorded context, over all its lines, that a reordering must account for. */
const REORDERED_CONTEXT = 24;

/**
 * Whether the quote's line, intact, has swapped places with the recorded line just after or just
 * before it, or has a new line just above or below it, every other recorded line being where it
 * was: all the recorded context is still there, verbatim, once that one line's place is known.
 */
export function reordered(rec: RecordedLines, page: PageLines): boolean {
  if (!inLineIntact(rec, page) || ownLineAlike(rec, false) || neighbourLike(rec, page.line, true, true)) return false;
  const chars = [...rec.before, ...rec.after].reduce((n, l) => n + l.length, rec.lead.length + rec.tail.length);
  if (chars < REORDERED_CONTEXT) return false;
  // The next line moved above: the page reads [next, previous lines…] before, [lines after next…] after.
  const next = rec.after[0];
  if (next !== undefined && next.length >= SWAPPED_LINE) {
    const above = rec.after.length === 1 ? page.before[0]?.startsWith(next) : page.before[0] === next;
    if (above && linesMatch(page.before.slice(1), rec.before, true) && linesMatch(page.after, rec.after.slice(1), false)) return true;
  }
  // The previous line moved below.
  const prev = rec.before[0];
  if (prev !== undefined && prev.length >= SWAPPED_LINE) {
    const below = rec.before.length === 1 ? page.after[0]?.endsWith(prev) : page.after[0] === prev;
    if (below && linesMatch(page.after.slice(1), rec.after, false) && linesMatch(page.before, rec.before.slice(1), true)) return true;
  }
  // A new line put just above or just below it, all the recorded lines around them as they were.
  const sideKept = (recorded: string[], actual: string[], cutAtStart: boolean) => !recorded.length || linesMatch(actual, recorded, cutAtStart);
  if (rec.before.length && sideKept(rec.after, page.after, false) && linesMatch(page.before.slice(1), rec.before, true)) return true;
  if (rec.after.length && sideKept(rec.before, page.before, true) && linesMatch(page.after.slice(1), rec.after, false)) return true;
  return false;
}

/**
 * Whether, next to a candidate, a recorded neighbour line is missing: the
 * page's nearest line on some side is not the recorded nearest line, not even edited, but the one
 * recorded beyond it. That is the same frame in another row of a template (a numbered row's
 * sentence without its number), whose context only looks close because the rest repeats.
 */
export function missingNeighbour(rec: RecordedLines, page: PageLines): boolean {
  const missing = (recorded: string[], actual: string[], cutAtStart: boolean) => {
    const [nearest, beyond] = recorded;
    const line = actual[0];
    if (beyond === undefined || line === undefined) return false;
    // The nearest line is there, perhaps edited: nothing is missing.
    if (wordEdits(lineWords(nearest), lineWords(line)) <= NEIGHBOUR_EDIT_WORDS) return false;
    if (recorded.length > 2) return line === beyond;
    return beyond.length >= CUT_LINE && (cutAtStart ? line.endsWith(beyond) : line.startsWith(beyond));
  };
  // On the side looked at, the line runs from the candidate to its break as recorded.
  return (page.lead === rec.lead && missing(rec.before, page.before, true)) || (page.tail === rec.tail && missing(rec.after, page.after, false));
}

/** Words a neighbour line edited together with the passage's line may differ by. */
const NEIGHBOUR_EDIT_WORDS = 2;

/**
 * Whether an edited candidate sits in its recorded line: the rest of that line intact, line breaks
 * where they were, the line not one of the recorded neighbour lines (a deleted line's neighbour,
 * now where the line was, is not the line edited), and, on the side of the context that is not
 * verbatim (`edited`), the nearest neighbour line still there, up to a word or two (a cell edited
 * together with the next cell; a line missing there is a template's other sentence).
 */
export function framed(rec: RecordedLines, page: PageLines, edited: 'before' | 'after'): boolean {
  if (!inLineIntact(rec, page)) return false;
  const recorded = rec[edited];
  if (!recorded.length) return true;
  const actual = page[edited][0];
  if (actual === undefined) return false;
  let mine = lineWords(recorded[0]);
  let theirs = lineWords(actual);
  if (recorded.length === 1) {
    // Cut by the context's length: compare as many words, without the word the cut may have split.
    const cutAtStart = edited === 'before';
    mine = cutAtStart ? mine.slice(1) : mine.slice(0, -1);
    theirs = cutAtStart ? theirs.slice(-mine.length - NEIGHBOUR_EDIT_WORDS) : theirs.slice(0, mine.length + NEIGHBOUR_EDIT_WORDS);
    if (!mine.length) return false;
    return wordEdits(mine, theirs, cutAtStart) <= NEIGHBOUR_EDIT_WORDS;
  }
  return wordEdits(mine, theirs) <= NEIGHBOUR_EDIT_WORDS;
}

const lineWords = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Word-level edit distance of `a` to `b`, whole lines; for a line cut by the recorded context's
 * length (`cutAtStart` set), `b` may go on beyond the cut (before `a` if true, after it if false).
 */
function wordEdits(a: string[], b: string[], cutAtStart?: boolean): number {
  const x = cutAtStart ? [...a].reverse() : a;
  const y = cutAtStart ? [...b].reverse() : b;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) cur[j] = Math.min(prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1), prev[j] + 1, cur[j - 1] + 1);
    prev = cur;
  }
  // A cut line: `b` may go on beyond where `a` was cut.
  return cutAtStart === undefined ? prev[y.length] : Math.min(...prev);
}
