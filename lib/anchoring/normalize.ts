/**
 * Typography-insensitive text for matching. Revisions of a draft often change only typography:
 * curly vs straight quotes, dash kinds, no-break or thin spaces, line breaks, doubled spaces,
 * case. None of these should count as an edit, so the matcher compares normalised text and maps
 * offsets back to the original (`toOriginal`, `toNormalized`).
 *
 * - every kind of white space (incl. U+00A0, U+2000–U+200A, U+202F, U+3000, line breaks) → one ' ',
 *   runs collapsed, leading white space dropped;
 * - zero-width characters and soft hyphens dropped;
 * - ‘ ’ ‚ ‛ ′ ` → ';  “ ” „ ‟ ″ « » → ";  ‐ ‑ ‒ – — ― − → -;  … → ...;
 * - lower case (final sigma as sigma, so a quote cut inside a word folds like the page).
 *
 * Whole pages (1.4 MB) are normalised, so the common case avoids per-character work: the page is
 * lower-cased natively and only the characters that change length or kind are visited, by one
 * regular expression. The offset map is kept as segments: between two such places, normalised
 * and original offsets differ by a constant.
 */
const SPACE = ' \\t\\n\\v\\f\\r\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const DROPPED = '\\u200b-\\u200d\\u2060\\ufeff\\u00ad';
const FOLD: Record<string, string> = {};
for (const [to, from] of Object.entries({
  "'": '\u2018\u2019\u201a\u201b\u2032`',
  '"': '\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb',
  '-': '\u2010\u2011\u2012\u2013\u2014\u2015\u2212',
  '...': '\u2026',
  '\u03c3': '\u03c2',
})) {
  for (const ch of from) FOLD[ch] = to;
}
const FOLDED = Object.keys(FOLD).join('').replace(/[-\\\]^]/g, '\\$&');
/**
 * Only İ lower-cases to two characters (i and a combining dot above). A page holding one stands it
 * in by a noncharacter it lacks, found by the expression like a character to fold and expanded
 * there, so the page keeps the fast path (one character at a time took 140 ms for the 1.4 MB
 * draft).
 */
const STAND_INS = Array.from({ length: 32 }, (_, k) => String.fromCharCode(0xfdd0 + k));
// Made from their codes, never written in the source: Chrome refuses to load a content script
// whose file holds a noncharacter, and the bundler would write an escaped one out literally.
const isNoncharacter = (ch: string) => ch.charCodeAt(0) >= 0xfdd0 && ch.charCodeAt(0) <= 0xfdef;
/**
 * Leading spaces; a run of spaces and dropped characters other than one plain space; or one
 * character to fold. A plain single space, by far the most common, is left alone. A run is matched
 * as a plain space and more, or another one and any more: with one `{2,}` alternative for both,
 * the scan of a 1.3 MB page took a fifth longer. The noncharacters are İ's stand-ins.
 */
const SPECIAL = new RegExp(`^[${SPACE}${DROPPED}]+| [${SPACE}${DROPPED}]+|[${SPACE.slice(1)}${DROPPED}][${SPACE}${DROPPED}]*|[${FOLDED}\\ufdd0-\\ufdef]`, 'g');
const IS_SPACE = new RegExp(`[${SPACE}]`);
const IS_DROPPED = new RegExp(`[${DROPPED}]`);

/**
 * The offset map, as segments: segment k starts at normalised offset `starts[k]`; there
 * original = normalised + `shifts[k]`, or, for the characters of one expanded original
 * character, original = `fixed[k]` (else -1).
 */
class Segments {
  readonly starts = [0];
  readonly shifts = [0];
  readonly fixed = [-1];

  /** From normalised offset `at` on, original = normalised + `shift`. */
  shifted(at: number, shift: number): void {
    this.starts.push(at);
    this.shifts.push(shift);
    this.fixed.push(-1);
  }

  /** From normalised offset `at`, the characters all come from original offset `orig`. */
  expanded(at: number, orig: number): void {
    this.starts.push(at);
    this.shifts.push(0);
    this.fixed.push(orig);
  }
}

export class Normalized {
  constructor(
    readonly text: string,
    private map: Segments,
  ) {}

  /** Offset in the original of the character that produced normalised character i. */
  originalAt(i: number): number {
    const k = this.segment(i);
    const { fixed, shifts } = this.map;
    return fixed[k] >= 0 ? fixed[k] : i + shifts[k];
  }

  /** The first normalised offset whose character comes from original offset `orig` or later. */
  normalizedAt(orig: number): number {
    const n = this.text.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.originalAt(mid) < orig) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private segment(i: number): number {
    const { starts } = this.map;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export function normalize(input: string): Normalized {
  let lower = input.toLowerCase();
  let dotted: string | undefined;
  if (lower.length !== input.length) {
    dotted = STAND_INS.find((c) => !input.includes(c));
    if (dotted === undefined) return normalizeByChar(input);
    lower = input.replaceAll('\u0130', dotted).toLowerCase();
  }
  const map = new Segments();
  let shift = 0; // original − normalised, after the last replacement
  const text = lower.replace(SPECIAL, (match: string, at: number) => {
    const normAt = at - shift;
    let out: string;
    if (match.length === 1 && FOLD[match] !== undefined) out = FOLD[match];
    else if (match === dotted) out = 'i\u0307';
    else if (isNoncharacter(match)) return match; // one of the page's own
    else out = at > 0 && IS_SPACE.test(match) ? ' ' : '';
    // The space stands for the first white-space character of the run, after any dropped ones.
    const lead = out === ' ' ? match.search(IS_SPACE) : 0;
    if (lead > 0) map.shifted(normAt, (shift += lead));
    const rest = match.length - lead;
    if (out.length === rest) return out; // one for one: offsets still line up
    if (out.length > 1) map.expanded(normAt, at); // one original character became several
    shift += rest - out.length;
    map.shifted(normAt + out.length, shift);
    return out;
  });
  return new Normalized(text, map);
}

/** The same normalisation one character at a time; for text whose lower case changes length. */
export function normalizeByChar(input: string): Normalized {
  const map = new Segments();
  const out: string[] = [];
  let n = 0;
  let lastSpace = true; // drops leading white space
  let shift = 0;
  const emit = (s: string, i: number) => {
    if (s.length === 1) {
      if (i - n !== shift) map.shifted(n, (shift = i - n));
    } else {
      map.expanded(n, i);
      shift = Number.NaN; // the next character starts a new segment
    }
    out.push(s);
    n += s.length;
  };
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (IS_SPACE.test(ch)) {
      if (!lastSpace) emit(' ', i);
      lastSpace = true;
      continue;
    }
    if (IS_DROPPED.test(ch)) continue;
    lastSpace = false;
    // A character outside the BMP is lower-cased whole, as the page's other path does (𐐀 → 𐐨).
    const code = input.charCodeAt(i);
    const low = input.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
      const lower = input.slice(i, i + 2).toLowerCase();
      if (lower.length === 2) {
        emit(lower[0], i);
        emit(lower[1], i + 1);
      } else emit(lower, i);
      i++;
      continue;
    }
    emit(FOLD[ch] ?? FOLD[ch.toLowerCase()] ?? ch.toLowerCase(), i);
  }
  return new Normalized(out.join(''), map);
}

/** Normalised offset of the first normalised character produced at or after original offset `orig`. */
export function toNormalized(norm: Normalized, orig: number): number {
  return norm.normalizedAt(orig);
}

/** Original [start, end) of the normalised span [start, end). */
export function toOriginal(norm: Normalized, start: number, end: number, originalLength: number): { start: number; end: number } {
  const s = start < norm.text.length ? norm.originalAt(start) : originalLength;
  const e = end > 0 ? norm.originalAt(end - 1) + 1 : 0;
  return { start: s, end: Math.max(s, e) };
}
