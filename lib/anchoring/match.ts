/**
 * Finding a quote in a revised text: `matchQuote` returns where the passage is now, or null
 * when it is no longer there (an orphan). A wrong anchor is worse than an orphan, so a match is
 * accepted only on evidence that it is the same passage — see docs/anchoring.md for the rules
 * and what scores mean.
 *
 * 1. Unchanged page: the quote and its context are verbatim at the recorded position. Nearly free.
 *    Shifted: quote and context verbatim elsewhere in the raw text; the page is not normalised.
 * 2. Otherwise, in typography-normalised text (normalize.ts): candidate places come from the
 *    recorded position and from verbatim finds (gram-index.ts) of the quote, of either boundary
 *    of quote and context, and of the context on both sides; the quote is aligned in a small
 *    window around each (edit-distance.ts), and each candidate is scored on the quote and its
 *    surroundings. A stretch between the verbatim context beyond an edit's worth of errors is judged
 *    by its words (reworded); the quote with the rest of its block, once in the page, is a block
 *    moved whole. Where the context reaches past a line break, the page's lines are asked too
 *    (lines.ts): a short line swapped with its neighbour, or edited in its intact line.
 * 3. The best candidate is accepted only if the rules hold, and only if no other place is as good.
 */
import { alignWithin, bandedDistance, contextErrors } from './edit-distance';
import { COMMON, GramIndex } from './gram-index';
import { framed, isNeighbourLine, missingNeighbour, pageLines, recordedLines, reordered, type RecordedLines } from './lines';
import { normalize, toNormalized, toOriginal, type Normalized } from './normalize';
import type { TextPositionSelector, TextQuoteSelector } from './types';

export interface Match {
  start: number;
  end: number;
  /** 0–1; 1 = verbatim with its context. See docs/anchoring.md. */
  score: number;
}

/** Weights of the score: how much the quote itself and its surroundings count. */
export const QUOTE_WEIGHT = 0.6;
export const CONTEXT_WEIGHT = 0.4;
/** Below this score no match is accepted. */
export const ACCEPT = 0.65;
/** A quote shorter than this (normalised) is not distinctive without its context. */
export const DISTINCTIVE = 32;
/** Within this many characters of its recorded position a candidate counts as "near". */
export const NEAR = 2048;
/** Places of a recorded prefix tried for a quote edited between its prefix and suffix. */
const SANDWICH_PREFIXES = 64;
/** Places of the recorded suffix after one place of the prefix beyond which none is tried. */
const SANDWICH_ENDS = 8;
/**
 * Work one comment's search may need, in cells of alignment and of word comparison (3–7 ns each
 * here, so about 0.2 s): a search that would need more leaves the comment an orphan. The costliest
 * comment of the benchmark corpus needs about a two-hundredth of it; a quote of several thousand
 * characters, aligned at about 5 million cells a place, can run out of it (docs/anchoring.md).
 */
export const SEARCH_WORK = 50_000_000;
/** Quotes longer than this are aligned by their head and tail, then measured in a band. */
const LONG = 256;
const HEAD = 128;

interface Prepared {
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

function prepare(text: string): Prepared {
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

function indexOf(p: Prepared): GramIndex | null {
  if (p.uses > INDEX_AFTER) p.index ??= new GramIndex(p.norm.text);
  return p.index;
}

/** Whether a page has been prepared (normalised) for matching: tests of laziness. */
export function isPrepared(text: string): boolean {
  return cache?.text === text;
}

interface Candidate {
  start: number;
  end: number;
  quoteSim: number;
  /** Mean of the two sides' similarity; `sideSim` is the better side. */
  contextSim: number;
  sideSim: number;
  score: number;
  /** Share of the quote's words still there, in order, for a stretch between the verbatim context. */
  wordSim?: number;
  /** The quote verbatim with what is left of its context inside its own block (see `blockEvidence`). */
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

export function matchQuote(text: string, quote: TextQuoteSelector, position?: TextPositionSelector): Match | null {
  const { exact } = quote;
  // Context beyond 64 characters adds cost, not evidence (the W3C selectors carry 32).
  const prefix = (quote.prefix ?? '').slice(-64);
  const suffix = (quote.suffix ?? '').slice(0, 64);
  if (!exact) return null;

  // 1. Unchanged at the recorded place.
  if (
    position &&
    text.startsWith(exact, position.start) &&
    text.endsWith(prefix, position.start) &&
    text.startsWith(suffix, position.start + exact.length)
  ) {
    return { start: position.start, end: position.start + exact.length, score: 1 };
  }

  // 2. Verbatim with its context elsewhere, in the page as it is: a passage that only moved
  //    because text changed around it (most passages of a revision) needs nothing prepared. A page
  //    already prepared answers the same from its index, below, without a scan of the whole page.
  const context = prefix + exact + suffix;
  const rawCheck = prefix.length >= 8 && suffix.length >= 8 && exact.length >= 4;
  const prepared = isPrepared(text);
  if (rawCheck && !prepared) {
    const found = verbatimInRaw(text, context, prefix.length, exact.length, position);
    if (found) return found;
  }

  // A context cut through a surrogate pair (a selector cut at 32 units) starts or ends with half
  // a character, which lower-cases unlike the whole one in the page: that half is not compared
  // here. (Verbatim, above, it is evidence like any other unit.)
  const nPrefix = prefix.replace(/^[\udc00-\udfff]/, '');
  const nSuffix = suffix.replace(/[\ud800-\udbff]$/, '');
  // Normalise quote and context together so the boundaries between them stay as they were.
  const whole = normalize(nPrefix + exact + nSuffix);
  let qs = toNormalized(whole, nPrefix.length);
  let qe = toNormalized(whole, nPrefix.length + exact.length);
  while (qs < qe && whole.text[qs] === ' ') qs++;
  while (qe > qs && whole.text[qe - 1] === ' ') qe--;
  const q = whole.text.slice(qs, qe);
  const pre = whole.text.slice(0, qs);
  const suf = whole.text.slice(qe);
  const m = q.length;

  // 2½. Near the recorded position, what a window of the page normalised alone settles: a freshly
  //     revised page need not be prepared for a passage edited where it was. Only after step 2.
  const quoted = { pre, q, suf };
  const windowed = rawCheck && position && m && pre.length >= 16 && suf.length >= 16;
  if (windowed && !prepared) {
    const found = nearPosition(text, position.start, exact.length, quoted, { prefix, suffix });
    if (found) return found;
  }

  // 3. Candidates in normalised text.
  const page = prepare(text);
  const T = page.norm.text;
  if (!q) return rawCheck && prepared ? verbatimInRaw(text, context, prefix.length, exact.length, position) : null;
  const slack = 16 + (m >> 2);

  const hint = position ? toNormalized(page.norm, position.start) : undefined;
  const radius = Math.max(2048, T.length / 50);
  const index = indexOf(page);
  const find = (str: string, limit: number) => index?.find(str, limit) ?? occurrencesIn(T, str, 0, T.length, limit);
  const occurs = (str: string) => index?.has(str) ?? T.includes(str);

  // Verbatim with its context: found through the index, this settles a passage that only moved
  // because text changed elsewhere (the common case in a revision), however common its phrases.
  // More than 8 copies say nothing about where it is.
  const copies = find(pre + q + suf, 8);
  const verbatim = copies.map((o) => o + pre.length);
  if (rawCheck && prepared) {
    // What step 2 would have found. Each raw copy of the context is a normalised one, so with
    // none there is no raw copy, and with one a raw copy can only be around it. (No copy found
    // means none or more than 8: one more search, stopping at the first copy, tells which.)
    const many = copies.length > 1 || (!copies.length && occurs(pre + q + suf));
    if (copies.length === 1) {
      const o = toOriginal(page.norm, verbatim[0], verbatim[0] + m, text.length).start;
      const from = Math.max(0, o - context.length);
      const at = text.slice(from, o + context.length).indexOf(context);
      if (at !== -1) return { start: from + at + prefix.length, end: from + at + prefix.length + exact.length, score: 1 };
    } else if (many) {
      const found = verbatimInRaw(text, context, prefix.length, exact.length, position);
      if (found) return found;
    }
  }
  // Step 2½ in its place, after what step 2 would have found: the same windows, the same answer
  // (none normalised where the page's own text shows that no window could hold anything).
  if (windowed && prepared && stretchPossible(T, hint!, quoted)) {
    const found = nearPosition(text, position.start, exact.length, quoted, { prefix, suffix });
    if (found) return found;
  }
  if (verbatim.length === 1 || (hint !== undefined && verbatim.some((v) => Math.abs(v - hint) <= NEAR))) {
    const at = verbatim.length === 1 ? verbatim[0] : verbatim.reduce((a, b) => (Math.abs(a - hint!) <= Math.abs(b - hint!) ? a : b));
    return { ...toOriginal(page.norm, at, at + m, text.length), score: 1 };
  }

  // Otherwise: the recorded position, the quote verbatim (its surroundings changed), either
  // boundary of quote and context verbatim (edited inside), and both sides of the context.
  const starts: number[] = [];
  if (hint !== undefined) starts.push(hint);
  starts.push(...verbatim);
  const edge = Math.min(16, m);
  starts.push(...find(q, COMMON));
  const boundary: number[] = [];
  if (pre.length >= 8) boundary.push(...find(pre + q.slice(0, edge), COMMON).map((o) => o + pre.length));
  if (suf.length >= 8) boundary.push(...find(q.slice(-edge) + suf, COMMON).map((o) => o + edge - m));
  if (hint !== undefined) boundary.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint));
  // Both sides of the context verbatim around a stretch about as long as the quote: the passage,
  // edited inside, wherever it now is. Template drafts repeat their phrases, so a context found
  // too often over the whole text is looked for near the recorded position instead.
  const around = (str: string, limit: number) => {
    const all = find(str, limit);
    return all.length || hint === undefined ? all : occurrencesIn(T, str, hint - radius, hint + radius + m, limit);
  };
  const sandwiches: { start: number; end: number }[] = [];
  const prefixes = pre.length >= 16 ? around(pre, SANDWICH_PREFIXES) : [];
  if (pre.length >= 16 && suf.length >= 16) {
    // Each place the prefix is, then the suffix where the quote, edited or reworded, would end:
    // from half its length (words dropped) to twice it and a clause more (words added).
    for (const b of prefixes) {
      const from = b + pre.length;
      // A suffix this common after one prefix says nothing about where the passage ends there,
      // and each end costs an alignment and a word comparison: a page of one repeated word made
      // thousands of them, seconds of work for one comment.
      for (const end of endsAfter(T, from, quoted) ?? []) sandwiches.push({ start: from, end });
    }
  }

  const similarity = (start: number, end: number) => quoteSimilarity(T, q, start, end);

  const candidates: Candidate[] = [];
  const seen: number[] = [];
  const wasSeen = (at: number) => {
    for (const s of seen) if (Math.abs(s - at) < 4) return true;
    return false;
  };
  const consider = (at: number, align: boolean) => {
    if (wasSeen(at)) return;
    // A verbatim place needs no alignment; elsewhere the quote is aligned in a window.
    const verbatimHere = T.startsWith(q, at);
    if (!verbatimHere && (!align || !afford(alignWork))) return;
    const c = verbatimHere ? { start: at, end: at + m, quoteSim: 1 } : m > LONG ? alignLong(T, q, at, slack) : alignShort(T, q, at, slack);
    if (!c || wasSeen(c.start)) return;
    seen.push(at, c.start);
    let best = scored(c);
    if (c.quoteSim < 1) {
      // An edit at the passage's edge leaves the alignment unsure where it starts or ends; where
      // the recorded context resumes verbatim close by, try that edge too and keep the better.
      const edges = snapToContext(T, c, pre, suf, slack);
      if ((edges.start !== c.start || edges.end !== c.end) && afford(similarityWork)) {
        const snapped = scored({ ...edges, quoteSim: similarity(edges.start, edges.end) });
        // Context that now fits on both sides is the stronger evidence, within an edit's errors.
        const fits = snapped.contextSim > best.contextSim && (1 - snapped.quoteSim) * m <= errorBudget(m) + 1e-9;
        if (fits || snapped.score > best.score) best = snapped;
      }
    }
    candidates.push(best);
  };
  const scored = (c: { start: number; end: number; quoteSim: number }, sides = contextSimilarity(T, pre, suf, c.start, c.end)): Candidate => {
    const contextSim = (sides[0] + sides[1]) / 2;
    return { ...c, contextSim, sideSim: Math.max(...sides), score: QUOTE_WEIGHT * c.quoteSim + CONTEXT_WEIGHT * contextSim };
  };
  // Verbatim finds are cheap to check; alignment (the expensive part) only for the position and
  // the places where a boundary of the quote survived (nearest first), and no further once the
  // edited passage has clearly been found in its old surroundings.
  const settled = () => candidates.some((c) => c.quoteSim >= 0.85 && c.contextSim >= 0.9);
  const qWords = words(q);
  // The work of this search, charged before each piece is done. A hostile quote between a prefix
  // and a suffix the draft repeats made seconds of it; past SEARCH_WORK the search stops and the
  // comment is an orphan, for the places left unexamined might be the passage or its rival.
  let work = 0;
  let exhausted = false;
  const afford = (cells: number) => {
    if (!exhausted && work + cells <= SEARCH_WORK) work += cells;
    else exhausted = true;
    return !exhausted;
  };
  // A stretch's or an edge's similarity: the quote against a stretch its length within the band.
  const band = errorBudget(m) + 1;
  const similarityWork = similarityCells(m);
  // Aligning at a place (consider): a long quote's head and tail in their windows, then all of it
  // in a band; a short one forward and back in its window, rows cut off at the error budget.
  const alignWork = m > LONG ? 2 * HEAD * (HEAD + 2 * slack) + m * (2 * Math.min(256, 16 + (m >> 3)) + 1) : 2 * (m + 2 * slack) * (Math.min(m, errorBudget(m)) + 1);
  for (const { start, end } of sandwiches) {
    if (Math.abs(end - start - m) <= band && !afford(similarityWork)) return null;
    seen.push(start);
    const c = scored({ start, end, quoteSim: similarity(start, end) }, [1, 1]); // both sides verbatim
    // Beyond an edit's worth of errors: a rewording, if most of the quote's words are still there.
    // Its wording, not its characters, then ranks it among other rewordings.
    if ((1 - c.quoteSim) * m > errorBudget(m) + 1e-9) {
      const stretchWords = words(T.slice(start, end));
      if (!afford(qWords.length * stretchWords.length)) return null;
      c.wordSim = wordSimilarity(qWords, stretchWords);
      c.score = QUOTE_WEIGHT * Math.max(c.quoteSim, c.wordSim) + CONTEXT_WEIGHT;
      if (!exact.includes('\n') && holdsOtherLine(text, page.norm, c, qWords, afford)) continue;
      if (exhausted) return null;
    }
    candidates.push(c);
  }
  // The quote verbatim with the rest of its block around it, anywhere: a paragraph, list item or
  // cell that moved whole, whose neighbouring blocks (the rest of the recorded context) are new.
  const block = blockEvidence(nPrefix, exact, nSuffix, whole, qs, qe);
  if (block) {
    const found = find(block.text, 2);
    if (found.length === 1) {
      const start = found[0] + block.before;
      seen.push(start);
      candidates.push({ ...scored({ start, end: start + m, quoteSim: 1 }), block: true });
    }
  }
  // The recorded position is aligned only if a sandwich has not already settled the matter.
  starts.forEach((at, k) => consider(at, k === 0 && hint !== undefined && !settled()));
  for (const at of boundary.slice(0, 16)) {
    if (settled()) break;
    consider(at, true);
  }
  // A short line's context is other lines: a cell edited together with its neighbour keeps only
  // one side of its context verbatim. The quote is aligned just after the whole prefix and just
  // before the whole suffix, nearest first, when the context reaches past a line break.
  const rec = recordedLines(nPrefix, exact, nSuffix);
  if (rec && !settled()) {
    const sided = [...prefixes.map((b) => b + pre.length), ...(suf.length >= 16 ? around(suf, SANDWICH_PREFIXES).map((a) => a - m) : [])];
    if (hint !== undefined) sided.sort((a, b) => Math.abs(a - hint) - Math.abs(b - hint));
    for (const at of sided.slice(0, ONE_SIDED)) {
      if (settled()) break;
      const before = candidates.length;
      consider(at, true);
      for (const c of candidates.slice(before)) c.oneSided = true;
    }
  }
  if (exhausted) return null;
  if (rec) for (const c of candidates) lineEvidence(c, rec, { text, norm: page.norm, pre, suf, qWords, m });
  // A place found only by one side of the context is kept only if its line speaks for it: otherwise
  // it is a look-alike sentence or a neighbour line, and counts for nothing, not even as a rival.
  for (let k = candidates.length - 1; k >= 0; k--) if (candidates[k].oneSided && candidates[k].lineWords === undefined) candidates.splice(k, 1);
  if (!candidates.length) return null;

  // 3. Among the places that pass the rules, the best score; for quotes too short to speak for
  //    themselves, nearness to where the passage was breaks near-ties.
  // In a short draft everything is within NEAR characters: there, near means the same stretch
  // of the draft (an eighth of it), or a look-alike anywhere in a 5 KB page would count as near.
  const nearBy = Math.min(NEAR, Math.max(256, T.length / 8));
  const isNear = (c: Candidate) => hint !== undefined && Math.abs(c.start - hint) <= nearBy;
  const remoteBeyond = Math.max(4 * NEAR, T.length / 16);
  const isRemote = (c: Candidate) => hint === undefined || Math.abs(c.start - hint) > remoteBeyond;
  // A block found whole elsewhere loses to a look-alike of the quote that sits in the recorded
  // context (the passage edited in place, its copy left elsewhere): then neither is sure.
  const lookAlike = (c: Candidate) => candidates.some((o) => o !== c && o.quoteSim >= 0.7 && o.contextSim > c.contextSim + 0.1);
  // A reworded passage is believed with less of its wording left within reach of where it was: a
  // revision shifts a passage by what it adds above it, farther than NEAR in a long draft.
  const inReach = (c: Candidate) => (c.wordSim === undefined ? isNear(c) : !isRemote(c));
  const plausible = candidates.filter((c) => accepted(c, m, inReach(c), isRemote(c), qWords.length) && !(c.block && lookAlike(c)));
  if (!plausible.length) return null;
  const positionWeight = hint === undefined ? 0 : 0.05 * Math.max(0, 1 - m / 128);
  // Both sides of the context verbatim outweigh a few characters of the quote: that is how an
  // edited passage looks in place, and how a look-alike sentence does not.
  // Nearness breaks ties between places whose context fits alike: it never lifts a place without
  // its recorded context above one that has all of it (a template's next sentence is near too).
  const fullContext = plausible.some((c) => c.contextSim === 1);
  const nearness = (c: Candidate) => (hint === undefined || (fullContext && c.contextSim < 1) ? 0 : positionWeight * Math.max(0, 1 - Math.abs(c.start - hint) / NEAR));
  const rank = (c: Candidate) => c.score + (c.contextSim === 1 ? 0.05 : 0) + nearness(c);
  const near = (c: Candidate) => (hint === undefined ? 0 : Math.abs(c.start - hint));
  plausible.sort((a, b) => rank(b) - rank(a) || near(a) - near(b));
  const best = plausible[0];
  // Two equally good places: the recorded position may choose, if one of them is near it.
  const rival = plausible.find((c) => c !== best && (c.end <= best.start || c.start >= best.end) && rank(best) - rank(c) < 0.02);
  if (rival && !isNear(best)) return null;
  const span = toOriginal(page.norm, best.start, best.end, text.length);
  return { ...span, score: Math.round(best.score * 1000) / 1000 };
}

/**
 * The recorded context, quote included, verbatim in the raw page: once, or else the copy whose
 * quote is nearest the recorded position among those within `NEAR` of it. Typography is not folded
 * here: a copy that differs only in typography would tie in normalised text, and the verbatim one
 * is the better evidence.
 */
function verbatimInRaw(text: string, context: string, prefixLength: number, exactLength: number, position?: TextPositionSelector): Match | null {
  const first = text.indexOf(context);
  if (first === -1) return null;
  // Once only? A second forward search: lastIndexOf scans backwards without the fast
  // first-character search, six times slower on a 1.3 MB page.
  let at = text.indexOf(context, first + 1) === -1 ? first : -1;
  if (at === -1 && position) {
    // Only copies within NEAR count: walking every copy of a page that is one repeated word costs
    // the context's length at each character.
    const distance = (i: number) => Math.abs(i + prefixLength - position.start);
    const from = Math.max(first, position.start - prefixLength - NEAR);
    for (let i = text.indexOf(context, from); i !== -1 && i <= position.start - prefixLength + NEAR; i = text.indexOf(context, i + 1)) {
      if (distance(i) <= NEAR && (at === -1 || distance(i) < distance(at))) at = i;
    }
  }
  return at === -1 ? null : { start: at + prefixLength, end: at + prefixLength + exactLength, score: 1 };
}

/** How far (normalised characters) from its recorded place step 2½ looks, one reach after another. */
export const IN_PLACE = [4 * NEAR, 16 * NEAR];
/** Places of the recorded prefix beyond step 2½'s window past which the phrase is too common to check. */
const ROW_PLACES = 1024;
/** Work step 2½ may do (cells, as SEARCH_WORK): about 20 ms. */
const IN_PLACE_WORK = SEARCH_WORK / 10;
/**
 * Cells one character of a window costs to normalise: about 6 ns on the fast path; on a page that
 * holds İ and all its stand-ins (one character at a time) far more, so windows are charged high.
 */
const NORMALIZE_CELLS = 16;

/** The quote and its recorded context, normalised. */
interface Quoted {
  pre: string;
  q: string;
  suf: string;
}

/**
 * Step 2½: the passage near its recorded position, found in a window of the page normalised alone,
 * so that a freshly revised page need not be normalised whole (7.5 ms for the 1.4 MB draft) when the
 * passage was edited where it was, the commonest change after none. Only what step 3 would
 * conclude from that window alone is taken, reach by reach (IN_PLACE):
 * - the quote verbatim in its whole context within NEAR of the position: the nearest such copy,
 *   as step 3 takes it; such a copy farther away leaves the comment to step 3, which asks whether
 *   it is the page's only one;
 * - otherwise, the one stretch between the whole prefix and the whole suffix within reach, if it
 *   is the quote within the edit budget (step 3's rule for a passage edited between its context),
 *   and the raw page holds, beyond the window, no stretch as close between the context as
 *   recorded. Two or more such stretches are a template's rows; one beyond the window may be the
 *   passage moved there; and a rewording may be a look-alike of a passage found better farther
 *   away: step 3 weighs those against the whole page.
 * A prepared page asks the same windows (see matchQuote), so both answer alike. Null: step 3 decides.
 */
function nearPosition(text: string, at: number, exactLength: number, quoted: Quoted, rawContext: { prefix: string; suffix: string }): Match | null {
  const { pre, q, suf } = quoted;
  const m = q.length;
  const allowance = workAllowance();
  for (const reach of IN_PLACE) {
    const w = windowAround(text, Math.min(Math.max(0, at), text.length), exactLength, reach + pre.length, reach + 2 * m + REWORD_SLACK + suf.length, allowance);
    if (!w) {
      if (allowance.spent) return null;
      continue;
    }
    const { norm, hint } = w;
    const stretches = stretchesBetween(norm.text, hint, reach, quoted, allowance);
    if (!stretches) return null;
    let best: Candidate | undefined;
    const verbatim = stretches.filter((c) => c.quoteSim === 1);
    if (verbatim.length) {
      const distance = (c: Candidate) => Math.abs(c.start - hint);
      const near = verbatim.filter((c) => distance(c) <= NEAR);
      if (!near.length) return null;
      best = near.reduce((a, b) => (distance(b) < distance(a) ? b : a));
    } else if (stretches.length > 1) {
      return null;
    } else if (stretches.length === 1) {
      const [c] = stretches;
      if ((1 - c.quoteSim) * m > errorBudget(m) + 1e-9 || !accepted(c, m, true, false, 0)) return null;
      // The recorded context, as recorded, around a stretch beyond the window that is the quote at
      // least as nearly: the passage moved, or a template's row as good; step 3 weighs them.
      if (rivalOutside(text, rawContext, q, Math.round((1 - c.quoteSim) * m), w.from, w.from + w.raw.length, allowance)) return null;
      best = c;
    }
    if (best) {
      const span = toOriginal(norm, best.start, best.end, w.raw.length);
      return { start: w.from + span.start, end: w.from + span.end, score: Math.round(best.score * 1000) / 1000 };
    }
    if (w.whole) break; // no stretch in the whole page: a larger reach has nothing more to search
  }
  return null;
}

/**
 * Whether the raw page, outside [from, to), holds the recorded prefix and then the recorded suffix
 * (as step 3's sandwiches: where the quote, edited, would end) around a stretch that, normalised,
 * is within `errors` edits of the quote q. A prefix found there more than ROW_PLACES times, or
 * work the allowance refuses, counts as such a rival (and bounds the work on a page of one
 * repeated word).
 */
function rivalOutside(text: string, { prefix, suffix }: { prefix: string; suffix: string }, q: string, errors: number, from: number, to: number, allowance: { charge: (cells: number) => boolean }): boolean {
  const span = (2 * q.length + REWORD_SLACK) * 2; // raw characters a normalised stretch may span, and more
  let places = 0;
  for (let i = text.indexOf(prefix); i !== -1; i = text.indexOf(prefix, i + 1)) {
    if (i >= from && i + prefix.length <= to) continue; // step 2½'s own window
    // Past ROW_PLACES places the phrase is too common to check (a page of one repeated word): a row.
    const begin = i + prefix.length;
    const after = text.slice(begin, begin + span + suffix.length);
    if (++places > ROW_PLACES || !allowance.charge(after.length)) return true;
    for (let e = after.indexOf(suffix), n = 0; e !== -1; e = after.indexOf(suffix, e + 1)) {
      if (++n > SANDWICH_ENDS || !allowance.charge(e * (errors + 2))) return true;
      const t = normalize(after.slice(0, e)).text.trim();
      if (Math.abs(t.length - q.length) <= errors && bandedDistance(q, t, errors + 1) <= errors) return true;
    }
  }
  return false;
}

/** Step 2½'s share of work: `charge` says whether `cells` more may be done; once refused, `spent`. */
function workAllowance() {
  let work = 0;
  const allowance = {
    spent: false,
    charge: (cells: number) => !(allowance.spent ||= (work += cells) > IN_PLACE_WORK),
  };
  return allowance;
}

/**
 * Every stretch of normalised text W between a place of the whole prefix, within `reach` of
 * `hint`, and the whole suffix where the quote, edited, would end (as step 3's sandwiches are
 * found), with its quote similarity. Null when the prefix there, or the suffix after one place,
 * is too common to say anything (step 3's limits), or when the allowance refuses the work.
 */
function stretchesBetween(W: string, hint: number, reach: number, quoted: Quoted, allowance: { charge: (cells: number) => boolean }): Candidate[] | null {
  const { pre, q, suf } = quoted;
  const m = q.length;
  const band = errorBudget(m) + 1;
  const prefixes = placesOf(W, pre, hint - reach - pre.length, hint + reach, SANDWICH_PREFIXES);
  if (!prefixes) return null;
  const found: Candidate[] = [];
  for (const p of prefixes) {
    const start = p + pre.length;
    const ends = endsAfter(W, start, quoted);
    if (!ends) return null;
    for (const end of ends) {
      if (Math.abs(end - start - m) <= band && !allowance.charge(similarityCells(m))) return null;
      const quoteSim = quoteSimilarity(W, q, start, end);
      found.push({ start, end, quoteSim, contextSim: 1, sideSim: 1, score: QUOTE_WEIGHT * quoteSim + CONTEXT_WEIGHT });
    }
  }
  return found;
}

/**
 * Where the suffix begins after a quote starting at `start` in T: from half the quote's length to
 * twice it and a clause more (words dropped or added); null past SANDWICH_ENDS places.
 */
function endsAfter(T: string, start: number, { q, suf }: Quoted): number[] | null {
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
function placesOf(T: string, s: string, from: number, to: number, limit: number): number[] | null {
  const out: number[] = [];
  for (let i = T.indexOf(s, Math.max(0, from)); i !== -1 && i + s.length <= to; i = T.indexOf(s, i + 1)) {
    if (out.length === limit) return null;
    out.push(i);
  }
  return out;
}

/**
 * Whether step 2½ could find anything in a prepared page's normalised text T: a stretch between
 * the context within the farthest reach (and two characters' slack for a window's first), or too
 * many places to tell. Each window is part of T, so where T has none, no window has one either.
 */
function stretchPossible(T: string, hint: number, quoted: Quoted): boolean {
  const reach = IN_PLACE[IN_PLACE.length - 1] + 2;
  const prefixes = placesOf(T, quoted.pre, hint - reach - quoted.pre.length, hint + reach, SANDWICH_PREFIXES);
  return !prefixes || prefixes.some((p) => endsAfter(T, p + quoted.pre.length, quoted)?.length !== 0);
}

/**
 * The page around original offset `at`, normalised alone, holding at least `before` normalised
 * characters before the position and `after` after it (or reaching the page's edge). White space
 * collapsed makes a raw window shrink, so a short one is doubled, twice at most; null if still
 * short, or if the allowance refuses the work (NORMALIZE_CELLS a character). A
 * window that is the whole page is kept as the page prepared: step 3 need not normalise it again.
 */
function windowAround(text: string, at: number, exactLength: number, before: number, after: number, allowance: { charge: (cells: number) => boolean }) {
  for (let r = Math.max(before, after) + 256, tries = 0; tries < 3; r *= 2, tries++) {
    const from = Math.max(0, at - r);
    const to = Math.min(text.length, at + exactLength + r);
    if (!allowance.charge(NORMALIZE_CELLS * (to - from))) return null;
    const raw = text.slice(from, to);
    const norm = normalize(raw);
    const hint = toNormalized(norm, at - from);
    // Index 0 of a window cut inside white space is not the page's: such a window is used from 1.
    if ((from > 0 && hint - before < 1) || (to < text.length && hint + after > norm.text.length)) continue;
    const whole = from === 0 && to === text.length;
    if (whole && cache?.text !== text) cache = { text, prepared: { norm, index: null, uses: 0 } };
    return { from, raw, norm, hint, whole };
  }
  return null;
}

/** Places of the whole prefix and of the whole suffix next to which an edited short line is aligned. */
const ONE_SIDED = 8;
/** Share of its words a quote edited inside its intact line must keep (see `lineEvidence`). */
export const LINE_WORDS = 0.5;

/**
 * What the page's lines say about a candidate when the recorded context reaches past a line break:
 * a verbatim quote whose line swapped places with a recorded neighbour (or got a new line next to
 * it) has all its context, once that line's place is known (`reordered`: counted as context
 * verbatim); a candidate in a recorded neighbour line, or missing one, is another line (`otherLine`);
 * an edited quote in its own intact line, one whole side of its context verbatim, is a line edited
 * in place (`lineWords`).
 */
function lineEvidence(c: Candidate, rec: RecordedLines, p: { text: string; norm: Normalized; pre: string; suf: string; qWords: string[]; m: number }): void {
  // All the context verbatim needs nothing more; a rewording is judged by its words.
  if (c.contextSim === 1 || c.wordSim !== undefined) return;
  const T = p.norm.text;
  const span = toOriginal(p.norm, c.start, c.end, p.text.length);
  const lines = pageLines(p.text, span.start, span.end, Math.max(rec.before.length, rec.after.length) + 1);
  if (c.quoteSim === 1 && reordered(rec, lines)) {
    c.reordered = true;
    c.contextSim = c.sideSim = 1;
    c.score = QUOTE_WEIGHT + CONTEXT_WEIGHT;
    return;
  }
  // In a recorded neighbour line, or with a recorded neighbour line missing next to it: another
  // line or another row of the same frame, however close its characters.
  if (isNeighbourLine(rec, lines) || missingNeighbour(rec, lines)) {
    c.otherLine = true;
    return;
  }
  if (c.quoteSim === 1) return;
  // An edited line needs one side of its context verbatim; the other side is checked line by line.
  const prefixKept = T.endsWith(p.pre, c.start);
  if ((1 - c.quoteSim) * p.m > errorBudget(p.m) + 1e-9 || (!prefixKept && !T.startsWith(p.suf, c.end))) return;
  if (framed(rec, lines, prefixKept ? 'after' : 'before')) c.lineWords = wordSimilarity(p.qWords, words(T.slice(c.start, c.end)));
}

/**
 * Whether a reworded stretch begins or ends with a whole line that is not part of the passage: its
 * words fit the quote at least as well without that line. A neighbour line moved in between the
 * passage and its recorded context (a list reordered) is no rewording of the passage; a line break
 * that a markup change put inside the passage splits words of the quote, and stays.
 */
function holdsOtherLine(text: string, norm: Normalized, c: Candidate, qWords: string[], afford: (cells: number) => boolean): boolean {
  const span = toOriginal(norm, c.start, c.end, text.length);
  const raw = text.slice(span.start, span.end);
  const first = raw.indexOf('\n');
  if (first === -1) return false;
  const without = [raw.slice(first + 1), raw.slice(0, raw.lastIndexOf('\n'))].map((rest) => words(normalize(rest).text));
  // Both comparisons are charged to the search's work (see SEARCH_WORK); none is made past it.
  if (!afford(without.reduce((n, w) => n + qWords.length * w.length, 0))) return false;
  return without.some((w) => wordSimilarity(qWords, w) >= c.wordSim!);
}

/** Characters a reworded passage may grow by beyond twice its length (a clause added). */
const REWORD_SLACK = 64;
/** Share of its words a reworded quote must keep, in order, and the fewest words it must have. */
export const REWORD_WORDS = 0.65;
export const REWORD_WORDS_NEAR = 0.5;
const REWORD_MIN_WORDS = 4;
/** The fewest characters of a block's own text (quote and in-block context) that identify it. */
export const BLOCK_EVIDENCE = 40;

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

/**
 * The quote and the part of its recorded context inside the same block (paragraph, list item,
 * cell: up to the nearest line break on either side), normalised; null unless the context does
 * reach past a block boundary on some side and the block's own text is long enough to identify it.
 * `before`: where the quote starts in it.
 */
function blockEvidence(prefix: string, exact: string, suffix: string, whole: Normalized, qs: number, qe: number): { text: string; before: number } | null {
  const cutBefore = prefix.lastIndexOf('\n');
  const cutAfter = suffix.indexOf('\n');
  if (cutBefore === -1 && cutAfter === -1) return null;
  const from = cutBefore === -1 ? 0 : toNormalized(whole, cutBefore + 1);
  const to = cutAfter === -1 ? whole.text.length : toNormalized(whole, prefix.length + exact.length + cutAfter);
  let text = whole.text.slice(from, to);
  let before = qs - from;
  const lead = text.length - text.trimStart().length;
  text = text.trim();
  before -= lead;
  if (before < 0 || text.length < BLOCK_EVIDENCE || qe - qs < 12) return null;
  return { text, before };
}

const SNAP = 8;

/**
 * Edges where the recorded context resumes verbatim near an aligned candidate's. An edit at the
 * very edge of a passage leaves the alignment unsure ("by the full MAG" → "by the revised full
 * MAG" aligns as well to "by the revised "); the context says where the passage really ends.
 */
function snapToContext(T: string, c: { start: number; end: number }, pre: string, suf: string, slack: number): { start: number; end: number } {
  let { start, end } = c;
  const after = suf.trimStart().slice(0, SNAP);
  if (after.length === SNAP) {
    const from = Math.max(start + 1, end - slack);
    let best = -1;
    for (let i = T.indexOf(after, from); i !== -1 && i <= end + slack; i = T.indexOf(after, i + 1)) {
      if (best === -1 || Math.abs(i - end) < Math.abs(best - end)) best = i;
    }
    if (best !== -1) end = best;
  }
  const before = pre.trimEnd().slice(-SNAP);
  if (before.length === SNAP) {
    let best = -1;
    for (let i = T.indexOf(before, Math.max(0, start - slack - SNAP)); i !== -1 && i + SNAP <= Math.min(end - 1, start + slack); i = T.indexOf(before, i + 1)) {
      if (best === -1 || Math.abs(i + SNAP - start) < Math.abs(best - start)) best = i + SNAP;
    }
    if (best !== -1) start = best;
  }
  while (end > start && T[end - 1] === ' ') end--;
  while (start < end && T[start] === ' ') start++;
  return end > start ? { start, end } : c;
}

/**
 * The rules (docs/anchoring.md). The evidence asked of a candidate grows as the quote gets
 * shorter, more edited, or farther from where it was: drafts repeat phrases, so a short or
 * edited quote found far away with a merely similar context is more likely a look-alike than
 * the passage. A wrong anchor is worse than an orphan.
 */
function accepted(c: Candidate, m: number, near: boolean, remote: boolean, quoteWords: number): boolean {
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

/** Similarity of the recorded prefix and suffix to the text before and after a candidate. */
function contextSimilarity(T: string, pre: string, suf: string, start: number, end: number): [number, number] {
  const side = (pattern: string, at: number, backward: boolean, atEdge: boolean) => {
    if (!pattern) return atEdge ? 1 : 0.5; // nothing recorded: neutral unless we are at the same edge
    return 1 - contextErrors(pattern, T, at, backward) / pattern.length;
  };
  const p = side(pre, start, true, start <= 1);
  const s = side(suf, end, false, end >= T.length - 1);
  return [p, s];
}

/** Quote similarity of T[start, end), measured only as far as an edit's worth of errors. */
function quoteSimilarity(T: string, q: string, start: number, end: number): number {
  return 1 - Math.min(q.length, bandedDistance(q, T.slice(start, end), errorBudget(q.length) + 1)) / q.length;
}

/** Work (cells) of one `quoteSimilarity` of a stretch about the quote's length: the band's width. */
function similarityCells(m: number): number {
  return m * (2 * errorBudget(m) + 3);
}

/** Most errors an edited quote may have and still be the passage (see `accepted`). */
export function errorBudget(m: number): number {
  return Math.floor(Math.max(10, m / 8));
}

function alignShort(T: string, q: string, at: number, slack: number): Omit<Candidate, 'contextSim' | 'sideSim' | 'score'> | null {
  const from = Math.max(0, at - slack);
  const to = Math.min(T.length, at + q.length + slack);
  if (to <= from) return null;
  const a = alignWithin(q, T, from, to, Math.min(to, at + q.length), Math.min(q.length, errorBudget(q.length)));
  return a && { start: a.start, end: a.end, quoteSim: 1 - a.errors / q.length };
}

/** Long quotes: find the start by the head and the end by the tail, then measure all of it in a band. */
function alignLong(T: string, q: string, at: number, slack: number): Omit<Candidate, 'contextSim' | 'sideSim' | 'score'> | null {
  const head = q.slice(0, HEAD);
  const tail = q.slice(-HEAD);
  const h = alignWithin(head, T, Math.max(0, at - slack), Math.min(T.length, at + HEAD + slack), at + HEAD, HEAD / 3);
  if (!h) return null;
  const tailAt = h.start + q.length - HEAD;
  const t = alignWithin(tail, T, Math.max(h.end, tailAt - slack), Math.min(T.length, tailAt + HEAD + slack), tailAt + HEAD, HEAD / 3);
  if (!t || t.end <= h.start) return null;
  const band = Math.min(256, 16 + (q.length >> 3));
  const errors = Math.min(q.length, bandedDistance(q, T.slice(h.start, t.end), band));
  return { start: h.start, end: t.end, quoteSim: 1 - errors / q.length };
}

/** Where `s` occurs verbatim within [from, to); none when more than `limit` times (it says nothing then). */
function occurrencesIn(T: string, s: string, from: number, to: number, limit: number): number[] {
  return placesOf(T, s, from, to, limit) ?? [];
}
