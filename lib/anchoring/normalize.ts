/**
 * Typography-insensitive text for matching. Revisions of a draft often change only typography:
 * curly vs straight quotes, dash kinds, no-break or thin spaces, line breaks, doubled spaces,
 * case. None of these should count as an edit, so the matcher compares normalised text and maps
 * offsets back to the original through `map`.
 *
 * - every kind of white space (incl. U+00A0, U+2000–U+200A, U+202F, U+3000, line breaks) → one ' ',
 *   runs collapsed;
 * - zero-width characters and soft hyphens dropped;
 * - ‘ ’ ‚ ‛ ′ ` → ';  “ ” „ ‟ ″ « » → ";  ‐ ‑ ‒ – — ― − → -;  … → ...;
 * - lower case.
 */
export interface Normalized {
  text: string;
  /** map[i] = offset in the original of the character that produced normalised character i. */
  map: Int32Array;
}

const FOLD: Record<number, string> = {};
for (const [from, to] of Object.entries({
  "'": '\u2018\u2019\u201a\u201b\u2032`',
  '"': '\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb',
  '-': '\u2010\u2011\u2012\u2013\u2014\u2015\u2212',
  '...': '\u2026',
})) {
  for (const ch of to) FOLD[ch.charCodeAt(0)] = from;
}

const decoder = new TextDecoder('utf-16le');

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isDropped(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff || c === 0xad;
}

export function normalize(input: string): Normalized {
  // Typed buffers and char codes: this runs over whole pages (1.4 MB) and must stay cheap.
  // Nearly every character maps to one: size for that, and grow in the rare case of expansion.
  let out = new Uint16Array(input.length + 16);
  let map = new Int32Array(input.length + 16);
  let n = 0;
  let lastSpace = true; // drops leading white space
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c < 128 && c > 32 && c !== 96) {
      out[n] = c >= 65 && c <= 90 ? c + 32 : c;
      map[n++] = i;
      lastSpace = false;
      continue;
    }
    if (isSpace(c)) {
      if (!lastSpace) {
        out[n] = 32;
        map[n++] = i;
        lastSpace = true;
      }
      continue;
    }
    if (isDropped(c)) continue;
    lastSpace = false;
    const folded = FOLD[c] ?? input[i].toLowerCase();
    if (n + folded.length + (input.length - i) > out.length) {
      const bigger = out.length * 2 + folded.length;
      const o = new Uint16Array(bigger);
      o.set(out.subarray(0, n));
      const m = new Int32Array(bigger);
      m.set(map.subarray(0, n));
      out = o;
      map = m;
    }
    for (let k = 0; k < folded.length; k++) {
      out[n] = folded.charCodeAt(k);
      map[n++] = i;
    }
  }
  return { text: decoder.decode(out.subarray(0, n)), map: map.subarray(0, n) };
}
/** Normalised offset of the first normalised character produced at or after original offset `orig`. */
export function toNormalized(norm: Normalized, orig: number): number {
  let lo = 0;
  let hi = norm.map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (norm.map[mid] < orig) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Original [start, end) of the normalised span [start, end). */
export function toOriginal(norm: Normalized, start: number, end: number, originalLength: number): { start: number; end: number } {
  const s = start < norm.map.length ? norm.map[start] : originalLength;
  const e = end > 0 ? norm.map[end - 1] + 1 : 0;
  return { start: s, end: Math.max(s, e) };
}
