/** How alike a stretch of text is to the quote: in characters (within an edit budget) and in words. */
import { bandedDistance } from './edit-distance';
import { errorBudget } from './rules';

/** Quote similarity of T[start, end), measured only as far as an edit's worth of errors. */
export function quoteSimilarity(T: string, q: string, start: number, end: number): number {
  return 1 - Math.min(q.length, bandedDistance(q, T.slice(start, end), errorBudget(q.length) + 1)) / q.length;
}

/** Work (cells) of one `quoteSimilarity` of a stretch about the quote's length: the band's width. */
export function similarityCells(m: number): number {
  return m * (2 * errorBudget(m) + 3);
}

/** Words (letters and digits) of normalised text. */
export function words(s: string): string[] {
  return s.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * How much of two texts' wording they share: the words common to both in the same order (longest
 * common subsequence), weighted by their length, over the length of the words of both (Dice).
 * 1 for the same words; a word swapped for a synonym or a clause added lowers it a little, a
 * different sentence that shares the stock words ("the", "for", "of the") a lot.
 */
export function wordSimilarity(a: string[], b: string[]): number {
  if (!a.length || !b.length || b.length > 2 * a.length + 8 || a.length > 2 * b.length + 8) return 0;
  let prev = new Float64Array(b.length + 1);
  let cur = new Float64Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + a[i - 1].length : Math.max(prev[j], cur[j - 1]);
    [prev, cur] = [cur, prev];
  }
  const chars = (w: string[]) => w.reduce((n, x) => n + x.length, 0);
  return (2 * prev[b.length]) / (chars(a) + chars(b));
}
