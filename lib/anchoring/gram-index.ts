/**
 * Where each short piece of text occurs: for every word start, the 6 characters from there,
 * hashed into chains held in typed arrays (built in one pass, a few milliseconds per megabyte).
 * The matcher finds longer strings through their rarest piece instead of scanning the whole page
 * for every quote.
 */
export const GRAM = 6;
/** More verbatim finds than this and a string says nothing about where a quote is. */
export const COMMON = 48;

export class GramIndex {
  private mask: number;
  private heads: Int32Array;
  /** Chain length per bucket: how common a piece is, without walking its chain. */
  private counts: Int32Array;
  private next: Int32Array;
  private pos: Int32Array;

  constructor(readonly text: string) {
    // Word starts are found with indexOf(' '), which the engine runs far faster than a loop over
    // every character. Normalised text has no two spaces in a row: at most one start in two.
    const last = text.length - GRAM;
    let pos = new Int32Array((text.length >> 1) + 2);
    let n = 0;
    if (last >= 0) pos[n++] = 0;
    for (let i = text.indexOf(' '); i !== -1 && i < last; i = text.indexOf(' ', i + 1)) {
      if (n === pos.length) {
        const more = new Int32Array(pos.length * 2); // text that was not normalised: runs of spaces
        more.set(pos);
        pos = more;
      }
      pos[n++] = i + 1;
    }
    let size = 1024;
    while (size < n) size <<= 1;
    this.mask = size - 1;
    const heads = (this.heads = new Int32Array(size).fill(-1));
    const counts = (this.counts = new Int32Array(size));
    const next = (this.next = new Int32Array(n));
    this.pos = pos.subarray(0, n);
    // From the end, so each chain lists its positions in ascending order.
    for (let k = n - 1; k >= 0; k--) {
      const b = hash(text, pos[k]) & this.mask;
      next[k] = heads[b];
      heads[b] = k;
      counts[b]++;
    }
  }

  /** Positions of the piece at `source[at]`, in ascending order. */
  private walk(source: string, at: number): number[] {
    const out: number[] = [];
    for (let k = this.heads[hash(source, at) & this.mask]; k !== -1; k = this.next[k]) {
      const p = this.pos[k];
      if (sameGram(this.text, p, source, at)) out.push(p);
    }
    return out;
  }

  /**
   * Where `s` occurs verbatim, found through its rarest piece instead of a scan of the text;
   * null when `s` has no piece starting at a word start inside it (the caller scans instead).
   * At most `limit` results; none when there are more (such a string says nothing).
   */
  find(s: string, limit: number): number[] | null {
    const at = this.rarest(s);
    if (at === null) return null;
    const out: number[] = [];
    if (at < 0) return out;
    for (const p of this.walk(s, at)) {
      const start = p - at;
      if (start < 0 || !this.text.startsWith(s, start)) continue;
      if (out.length === limit) return [];
      out.push(start);
    }
    return out;
  }

  /** Whether `s` occurs at all, stopping at the first copy; null as for `find`. */
  has(s: string): boolean | null {
    const at = this.rarest(s);
    if (at === null) return null;
    if (at < 0) return false;
    for (let k = this.heads[hash(s, at) & this.mask]; k !== -1; k = this.next[k]) {
      const start = this.pos[k] - at;
      if (start >= 0 && this.text.startsWith(s, start)) return true;
    }
    return false;
  }

  /**
   * Offset in `s` of its rarest piece that starts a word inside it (its first characters may be
   * the middle of a word); -1 when some such piece is nowhere in the text; null when there is none.
   */
  private rarest(s: string): number | null {
    let bestAt = -1;
    let bestCount = Infinity;
    for (let j = 1; j + GRAM <= s.length; j++) {
      if (s.charCodeAt(j - 1) !== 32) continue;
      const count = this.counts[hash(s, j) & this.mask];
      if (!count) return -1;
      if (count < bestCount) {
        bestCount = count;
        bestAt = j;
      }
    }
    return bestAt < 0 ? null : bestAt;
  }
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
