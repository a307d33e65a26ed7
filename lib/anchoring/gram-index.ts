/**
 * Where each short piece of text occurs: for every word start, the 6 characters from there,
 * hashed, with the ascending list of positions. The matcher votes with the pieces of a quote and
 * its context to find the few places worth aligning instead of scanning the page for each quote.
 * A piece that is common in the whole page (drafts repeat phrases a lot) can still be telling
 * near where the quote used to be, so lookups can be limited to a range by binary search.
 */
export const GRAM = 6;
/** More hits than this and a piece says nothing about where a quote is. */
export const COMMON = 48;

const EMPTY: readonly number[] = [];

export class GramIndex {
  private lists = new Map<number, number[]>();

  constructor(readonly text: string) {
    for (let i = 0; i + GRAM <= text.length; i++) {
      if (i !== 0 && text.charCodeAt(i - 1) !== 32) continue;
      const h = hash(text, i);
      const list = this.lists.get(h);
      if (list) list.push(i);
      else this.lists.set(h, [i]);
    }
  }

  /** Every position of the piece at `source[at]`, hash collisions included (callers verify). */
  postings(source: string, at: number): readonly number[] {
    return this.lists.get(hash(source, at)) ?? EMPTY;
  }

  /**
   * Where `s` occurs verbatim, found through its rarest piece instead of a scan of the text;
   * null when `s` has no piece starting at a word start (too short: the caller scans instead).
   * At most `limit` results; none when there are more (such a string says nothing).
   */
  find(s: string, limit: number): number[] | null {
    let best: readonly number[] | null = null;
    let bestAt = 0;
    // Only pieces that start a word inside `s`: its first characters may be the middle of a word.
    for (let j = 1; j + GRAM <= s.length; j++) {
      if (s.charCodeAt(j - 1) !== 32) continue;
      const list = this.postings(s, j);
      if (!best || list.length < best.length) {
        best = list;
        bestAt = j;
        if (!list.length) break;
      }
    }
    if (!best) return null;
    const out: number[] = [];
    for (const p of best) {
      const start = p - bestAt;
      if (start < 0 || !this.text.startsWith(s, start)) continue;
      if (out.length === limit) return [];
      out.push(start);
    }
    return out;
  }

  /**
   * Positions of the piece at `source[at]` (within [lo, hi) when given), or null when there are
   * more than COMMON of them. Hash collisions are filtered out.
   */
  lookup(source: string, at: number, lo = 0, hi = Infinity): number[] | null {
    const list = this.lists.get(hash(source, at));
    if (!list) return [];
    let from = 0;
    let to = list.length;
    if (lo > 0 || hi < Infinity) {
      from = lowerBound(list, lo);
      to = lowerBound(list, hi);
    }
    if (to - from > COMMON * 2) return null;
    const out: number[] = [];
    for (let k = from; k < to; k++) if (sameGram(this.text, list[k], source, at)) out.push(list[k]);
    return out.length > COMMON ? null : out;
  }
}

function lowerBound(list: number[], value: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function hash(s: string, at: number): number {
  let h = 2166136261;
  for (let i = 0; i < GRAM; i++) h = Math.imul(h ^ s.charCodeAt(at + i), 16777619);
  return h >>> 0;
}

function sameGram(a: string, i: number, b: string, j: number): boolean {
  for (let k = 0; k < GRAM; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}
