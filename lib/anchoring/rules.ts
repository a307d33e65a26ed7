/**
 * What a candidate place is, the weights and thresholds it is judged by, and the rules that accept
 * it (docs/anchoring.md). Shared by the search over the whole page (match.ts) and the window around
 * the recorded position (in-place.ts).
 */

/** Weights of the score: how much the quote itself and its surroundings count. */
export const QUOTE_WEIGHT = 0.6;
export const CONTEXT_WEIGHT = 0.4;

/** Below this score no match is accepted. */
export const ACCEPT = 0.65;

/** A quote shorter than this (normalised) is not distinctive without its context. */
export const DISTINCTIVE = 32;

/** Within this many characters of its recorded position a candidate counts as "near". */
export const NEAR = 2048;

/**
 * Work one comment's search may need, in cells of alignment and of word comparison (3–7 ns each
 * here, so about 0.2 s): a search that would need more leaves the comment an orphan. The costliest
 * comment of the benchmark corpus needs about a two-hundredth of it; a quote of several thousand
 * characters, aligned at about 5 million cells a place, can run out of it (docs/anchoring.md).
 */
export const SEARCH_WORK = 50_000_000;

/** Share of its words a quote edited inside its intact line must keep (see `lineEvidence`, match.ts). */
export const LINE_WORDS = 0.5;

/** Characters a reworded passage may grow by beyond twice its length (a clause added). */
export const REWORD_SLACK = 64;

/** Share of its words a reworded quote must keep, in order, and the fewest words it must have. */
export const REWORD_WORDS = 0.65;
export const REWORD_WORDS_NEAR = 0.5;
const REWORD_MIN_WORDS = 4;

export interface Candidate {
  start: number;
  end: number;
  quoteSim: number;
  /** Mean of the two sides' similarity; `sideSim` is the better side. */
  contextSim: number;
  sideSim: number;
  score: number;
  /** Share of the quote's words still there, in order, for a stretch between the verbatim context. */
  wordSim?: number;
  /** The quote verbatim with what is left of its context inside its own block (see `blockEvidence`, match.ts). */
  block?: boolean;
  /** The quote's line intact, its recorded neighbour lines around it with one line moved (lines.ts `reordered`). */
  reordered?: boolean;
  /** Edited inside its recorded line, the rest of the line intact (lines.ts `framed`): its words kept. */
  lineWords?: number;
  /** Found only next to one side of its context (a short line): believed only on its line's evidence. */
  oneSided?: boolean;
  /** In a recorded neighbour line, or with one missing next to it (lines.ts): another line, not the passage. */
  otherLine?: boolean;
}

/**
 * The rules (docs/anchoring.md). The evidence asked of a candidate grows as the quote gets
 * shorter, more edited, or farther from where it was: drafts repeat phrases, so a short or
 * edited quote found far away with a merely similar context is more likely a look-alike than
 * the passage. A wrong anchor is worse than an orphan.
 */
export function accepted(c: Candidate, m: number, near: boolean, remote: boolean, quoteWords: number): boolean {
  // Reworded between its whole recorded context, verbatim on both sides: most of its words kept.
  // Near where it was, a little more rewording is believed: that is where an edited passage is.
  if (c.wordSim !== undefined) return c.contextSim === 1 && quoteWords >= REWORD_MIN_WORDS && c.wordSim >= (near ? REWORD_WORDS_NEAR : REWORD_WORDS);
  // The quote verbatim with the rest of its block, and that only once in the page; or its line
  // intact with all its recorded neighbour lines, one of them swapped with it.
  if (c.otherLine) return false;
  if (c.block || c.reordered) return true;
  if (c.score < ACCEPT) return false;
  // Edited inside its own intact line, one side of the context verbatim and the other mostly there
  // (the neighbour line edited too): most of its words kept, within reach of where it was.
  if (c.lineWords !== undefined && !remote && c.contextSim >= 0.75 && c.lineWords >= LINE_WORDS) return true;
  if (c.oneSided) return false;
  const short = m < DISTINCTIVE;
  if (c.quoteSim === 1) {
    if (short) return c.contextSim >= (near ? 0.9 : 0.95);
    // A verbatim quote far away: the longer it is, the less its surroundings need to agree
    // (a moved paragraph keeps its words, not its neighbours); a phrase that recurs does not.
    // One side intact is as good: the passage moved with its neighbours on that side.
    const needed = farContextNeeded(m) - (near ? 0.15 : 0);
    return c.contextSim >= needed || (m >= 40 && c.sideSim === 1);
  }
  // Edited in place between its verbatim context: the passage, wherever the revision moved it.
  if (c.contextSim === 1) return (1 - c.quoteSim) * m <= errorBudget(m) + 1e-9;
  // Edited: no more than a small edit's worth of errors, the surroundings mostly intact, and not
  // far across the document (a passage that both moved far and changed is left an orphan: in a
  // draft that repeats itself, that is what a look-alike sentence looks like).
  if ((1 - c.quoteSim) * m > errorBudget(m) + 1e-9 || remote) return false;
  // A short quote tolerates a typo, not a rewrite: a few changed characters in a short phrase
  // are how one template sentence differs from the next.
  if (short) return near && c.contextSim >= 0.85 && (1 - c.quoteSim) * m <= 2 + 1e-9;
  return near ? c.contextSim >= 0.8 : c.contextSim >= 0.95 && c.sideSim === 1;
}

/** Context a verbatim quote of length m needs when found far away: 0.95 up to 78, 0.5 at 136, none from 200. */
export function farContextNeeded(m: number): number {
  return Math.min(0.95, Math.max(0, (200 - m) / 128));
}

/** Most errors an edited quote may have and still be the passage (see `accepted`). */
export function errorBudget(m: number): number {
  return Math.floor(Math.max(10, m / 8));
}
