/**
 * What became of a commented passage in the draft's latest revision: the chair's summary says
 * whether the text the group argued about is still there, reworded, elsewhere, or gone. The same
 * matcher that re-anchors highlights decides, so the summary and the sidebar agree.
 */
import { bandedDistance } from '../anchoring/edit-distance';
import { matchQuote } from '../anchoring/match';
import { errorBudget } from '../anchoring/rules';
import { sameSurroundings } from '../anchoring/surroundings';
import type { Anchor } from '../anchoring/types';
import type { DraftRevision } from './input';

export type Fate =
  | { kind: 'unchanged' }
  | { kind: 'reworded'; now: string }
  | { kind: 'moved'; section?: string }
  | { kind: 'gone' };

/** The heading a passage falls under (as lib/anchoring/text's sectionAt, over an outline), by bisection. */
function sectionIn(latest: DraftRevision, offset: number): string | undefined {
  const outline = latest.outline;
  let lo = 0;
  let hi = outline.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (outline[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 ? outline[found].title : undefined;
}

/**
 * Most passages are where they were, give or take the edits before them: the same words near the
 * old place settle it without the matcher (a millisecond per thread: seconds for a review of
 * 5,000). Found there and under the same heading, the passage is unchanged even when its
 * neighbours were edited; a reorder within a few pages of one section is not reported as a move.
 */
const NEARBY = 4_096;
/** Below this length the same words nearby may be other words (a "shall" of another sentence): their surroundings must agree too. */
const DISTINCT = 32;
function nearbyCopy(text: string, anchor: Anchor): { start: number; end: number } | null {
  const at = anchor.position?.start;
  if (at === undefined) return null;
  const exact = anchor.quote.exact;
  const from = Math.max(0, at - NEARBY);
  const window = text.slice(from, at + exact.length + NEARBY);
  // Drafts repeat their phrases: a copy with the old surroundings beats a nearer one without.
  let framed = -1;
  let nearest = -1;
  const closer = (i: number, than: number) => than < 0 || Math.abs(from + i - at) < Math.abs(from + than - at);
  for (let i = window.indexOf(exact); i >= 0; i = window.indexOf(exact, i + 1)) {
    if (closer(i, nearest)) nearest = i;
    if (closer(i, framed) && sameSurroundings(text, from + i, from + i + exact.length, anchor.quote)) framed = i;
  }
  const best = framed >= 0 ? framed : exact.length >= DISTINCT ? nearest : -1;
  return best < 0 ? null : { start: from + best, end: from + best + exact.length };
}

/**
 * A passage edited in place: its whole recorded context still on both sides, verbatim, near the
 * old place, and between them a text within the matcher's error budget of the quote: the rule by
 * which the matcher itself accepts an edited passage ("edited in place between its verbatim
 * context", lib/anchoring/match.ts). Found this way it costs a few string searches instead of the
 * matcher's search over the whole draft (1–2 ms a passage).
 */
const MIN_SIDE = 16;
function editedInPlace(text: string, anchor: Anchor): { start: number; end: number } | null {
  const at = anchor.position?.start;
  const pre = (anchor.quote.prefix ?? '').slice(-64);
  const suf = (anchor.quote.suffix ?? '').slice(0, 64);
  if (at === undefined || pre.length < MIN_SIDE || suf.length < MIN_SIDE) return null;
  const m = anchor.quote.exact.length;
  const budget = errorBudget(m);
  const from = Math.max(0, at - NEARBY);
  const to = Math.min(text.length, at + m + NEARBY);
  for (let p = text.indexOf(pre, from); p >= 0 && p < to; p = text.indexOf(pre, p + 1)) {
    const start = p + pre.length;
    const end = text.indexOf(suf, start + Math.max(0, m - budget));
    if (end < 0 || end - start > m + budget) continue;
    if (bandedDistance(anchor.quote.exact, text.slice(start, end), budget) <= budget) return { start, end };
  }
  return null;
}

/**
 * The matcher turns down a short passage whose surroundings all changed (a wrong highlight is
 * worse than none); for the summary, the same words found once and only once are that passage.
 */
function soleCopy(text: string, exact: string): { start: number; end: number } | null {
  const at = text.indexOf(exact);
  if (at < 0 || text.indexOf(exact, at + 1) >= 0) return null;
  return { start: at, end: at + exact.length };
}

export function fateOf(anchor: Anchor, latest: DraftRevision): Fate {
  if (anchor.fingerprint && latest.fingerprint && anchor.fingerprint === latest.fingerprint) return { kind: 'unchanged' };
  const near = nearbyCopy(latest.text, anchor);
  const match = near ?? editedInPlace(latest.text, anchor) ?? matchQuote(latest.text, anchor.quote, anchor.position) ?? soleCopy(latest.text, anchor.quote.exact);
  if (!match) return { kind: 'gone' };
  // Spaces at the ends are no rewording (the matcher's boundaries leave them out).
  const found = latest.text.slice(match.start, match.end).trim();
  if (found !== anchor.quote.exact.trim()) return { kind: 'reworded', now: found };
  const section = sectionIn(latest, match.start);
  const moved: Fate = { kind: 'moved', ...(section ? { section } : {}) };
  // An untitled heading ('' in an outline kept before such headings were left out) is no section.
  if ((anchor.section || undefined) !== (section || undefined)) return moved;
  return near || sameSurroundings(latest.text, match.start, match.end, anchor.quote) ? { kind: 'unchanged' } : moved;
}
