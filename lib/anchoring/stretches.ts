/**
 * Where the recorded prefix is, and where the suffix follows it: the stretches between them are
 * where a passage edited inside its context can be, wherever it now is.
 */
import { REWORD_SLACK } from './rules';

/** Places of a recorded prefix tried for a quote edited between its prefix and suffix. */
export const SANDWICH_PREFIXES = 64;

/** Places of the recorded suffix after one place of the prefix beyond which none is tried. */
export const SANDWICH_ENDS = 8;

/** The quote and its recorded context, normalised. */
export interface Quoted {
  pre: string;
  q: string;
  suf: string;
}

/**
 * Where the suffix begins after a quote starting at `start` in T: from half the quote's length to
 * twice it and a clause more (words dropped or added); null past SANDWICH_ENDS places.
 */
export function endsAfter(T: string, start: number, { q, suf }: Quoted): number[] | null {
  const lo = start + Math.max(1, q.length >> 1);
  const stretch = T.slice(lo, start + 2 * q.length + REWORD_SLACK + suf.length);
  const ends: number[] = [];
  for (let e = stretch.indexOf(suf); e !== -1; e = stretch.indexOf(suf, e + 1)) {
    if (ends.length === SANDWICH_ENDS) return null;
    ends.push(lo + e);
  }
  return ends;
}

/** Where `s` occurs in T within [from, to); null when more than `limit` times. */
export function placesOf(T: string, s: string, from: number, to: number, limit: number): number[] | null {
  const out: number[] = [];
  for (let i = T.indexOf(s, Math.max(0, from)); i !== -1 && i + s.length <= to; i = T.indexOf(s, i + 1)) {
    if (out.length === limit) return null;
    out.push(i);
  }
  return out;
}
