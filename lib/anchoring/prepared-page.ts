/**
 * The page prepared for matching: its text normalised (normalize.ts) and, once enough comments use
 * it, indexed (gram-index.ts). Every thread on a page matches against the same text, so it is
 * prepared once and kept until another page's text comes.
 */
import { GramIndex } from './gram-index';
import { normalize, type Normalized } from './normalize';

export interface Prepared {
  norm: Normalized;
  index: GramIndex | null;
  /** Comments matched on this page so far: the index is built once they make it worth it. */
  uses: number;
}

/**
 * The gram index costs about as much as 20 scans of the page; a page with a few comments scans
 * instead (each comment makes about five), and builds the index for the fifth comment on.
 */
export const INDEX_AFTER = 4;

// The page text is the same for every thread on the page: normalise and index it once.
let cache: { text: string; prepared: Prepared } | null = null;

/** The page's text prepared: normalised the first time it is seen, and counted as one more use. */
export function prepare(text: string): Prepared {
  if (cache?.text !== text) cache = { text, prepared: { norm: normalize(text), index: null, uses: 0 } };
  cache.prepared.uses++;
  return cache.prepared;
}

/**
 * Forgets the prepared page text, so that the next match prepares its page afresh: what a page
 * costs the first time it is seen (benchmarks and tests).
 */
export function forgetPreparedText(): void {
  cache = null;
}

/** The page's index, built once enough comments have used the page (INDEX_AFTER); null before. */
export function indexFor(p: Prepared): GramIndex | null {
  if (p.uses > INDEX_AFTER) p.index ??= new GramIndex(p.norm.text);
  return p.index;
}

/** Whether a page has been prepared (normalised) for matching: tests of laziness. */
export function isPrepared(text: string): boolean {
  return cache?.text === text;
}

/** A page normalised whole by some other step (step 2½'s window reaching both ends): kept as prepared. */
export function keepPrepared(text: string, norm: Normalized): void {
  if (cache?.text !== text) cache = { text, prepared: { norm, index: null, uses: 0 } };
}
