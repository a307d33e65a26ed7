/**
 * Step 2½ of matchQuote (match.ts): near the recorded position, what a window of the page
 * normalised alone settles, so that a freshly revised page need not be normalised whole for a
 * passage edited where it was. See `nearPosition`.
 */
import { bandedDistance } from './edit-distance';
import type { Match } from './match';
import { normalize, toNormalized, toOriginal } from './normalize';
import { keepPrepared } from './prepared-page';
import { accepted, CONTEXT_WEIGHT, errorBudget, NEAR, QUOTE_WEIGHT, REWORD_SLACK, SEARCH_WORK, type Candidate } from './rules';
import { quoteSimilarity, similarityCells } from './similarity';
import { endsAfter, placesOf, SANDWICH_ENDS, SANDWICH_PREFIXES, type Quoted } from './stretches';

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
 * A prepared page asks the same windows (see matchQuote, match.ts), so both answer alike. Null: step 3 decides.
 */
export function nearPosition(text: string, at: number, exactLength: number, quoted: Quoted, rawContext: { prefix: string; suffix: string }): Match | null {
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
function rivalOutside(text: string, { prefix, suffix }: { prefix: string; suffix: string }, q: string, errors: number, from: number, to: number, allowance: Allowance): boolean {
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
interface Allowance {
  spent: boolean;
  charge(cells: number): boolean;
}

function workAllowance(): Allowance {
  let work = 0;
  const allowance: Allowance = {
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
function stretchesBetween(W: string, hint: number, reach: number, quoted: Quoted, allowance: Allowance): Candidate[] | null {
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
 * Whether step 2½ could find anything in a prepared page's normalised text T: a stretch between
 * the context within the farthest reach (and two characters' slack for a window's first), or too
 * many places to tell. Each window is part of T, so where T has none, no window has one either.
 */
export function stretchPossible(T: string, hint: number, quoted: Quoted): boolean {
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
function windowAround(text: string, at: number, exactLength: number, before: number, after: number, allowance: Allowance) {
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
    if (whole) keepPrepared(text, norm);
    return { from, raw, norm, hint, whole };
  }
  return null;
}
