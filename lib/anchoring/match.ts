/**
 * Finding a quote in a revised text: `matchQuote` returns where the passage is now, or null
 * when it is no longer there (an orphan). A wrong anchor is worse than an orphan, so a match is
 * accepted only on evidence that it is the same passage — see docs/anchoring.md for the rules
 * (rules.ts) and what scores mean.
 *
 * 1. Unchanged: the quote and its context verbatim at the recorded position. Nearly free.
 * 2. Moved: quote and context verbatim elsewhere in the raw page; the page is not normalised.
 * 2½. Edited where it was: a window around the recorded position, normalised alone, settles what
 *    it can without the whole page (in-place.ts).
 * 3. Otherwise, in the page's typography-normalised text (normalize.ts), prepared once for all the
 *    page's threads (prepared-page.ts): candidate places come from the recorded position and from
 *    verbatim finds (gram-index.ts) of the quote, of either boundary of quote and context, and of
 *    the context on both sides (stretches.ts); the quote is aligned in a small window around each
 *    (edit-distance.ts), and each candidate is scored on the quote and its surroundings
 *    (similarity.ts). A stretch between the verbatim context beyond an edit's worth of errors is
 *    judged by its words (reworded); the quote with the rest of its block, once in the page, is a
 *    block moved whole. Where the context reaches past a line break, the page's lines are asked
 *    too (lines.ts): a short line swapped with its neighbour, or edited in its intact line. The
 *    best candidate is accepted only if the rules hold, and only if no other place is as good.
 */
import { alignWithin, bandedDistance, contextErrors } from './edit-distance';
import { COMMON } from './gram-index';
import { nearPosition, stretchPossible } from './in-place';
import { framed, isNeighbourLine, missingNeighbour, pageLines, recordedLines, reordered, type RecordedLines } from './lines';
import { normalize, toNormalized, toOriginal, type Normalized } from './normalize';
import { indexFor, isPrepared, prepare } from './prepared-page';
import { accepted, CONTEXT_WEIGHT, errorBudget, NEAR, QUOTE_WEIGHT, SEARCH_WORK, type Candidate } from './rules';
import { quoteSimilarity, similarityCells, wordSimilarity, words } from './similarity';
import { endsAfter, placesOf, SANDWICH_PREFIXES } from './stretches';
import type { TextPositionSelector, TextQuoteSelector } from './types';

export interface Match {
  start: number;
  end: number;
  /** 0–1; 1 = verbatim with its context. See docs/anchoring.md. */
  score: number;
}

/** Quotes longer than this are aligned by their head and tail, then measured in a band. */
const LONG = 256;
const HEAD = 128;

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
  const index = indexFor(page);
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

  // Among the places that pass the rules, the best score; for quotes too short to speak for
  // themselves, nearness to where the passage was breaks near-ties.
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

/** Places of the whole prefix and of the whole suffix next to which an edited short line is aligned. */
const ONE_SIDED = 8;

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

/** The fewest characters of a block's own text (quote and in-block context) that identify it. */
export const BLOCK_EVIDENCE = 40;

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
