/**
 * What became of a commented passage in the draft's latest revision: the chair's summary says
 * whether the text the group argued about is still there, reworded, elsewhere, or gone. The same
 * matcher that re-anchors highlights decides, so the summary and the sidebar agree.
 */
import { matchQuote } from '../anchoring/match';
import type { Anchor } from '../anchoring/types';
import type { DraftRevision } from './input';

export type Fate =
  | { kind: 'unchanged' }
  | { kind: 'reworded'; now: string }
  | { kind: 'moved'; section?: string }
  | { kind: 'gone' };

const CONTEXT = 12;

/** The heading a passage falls under (as lib/anchoring/text's sectionAt, over an outline). */
function sectionIn(latest: DraftRevision, offset: number): string | undefined {
  let found: string | undefined;
  for (const h of latest.outline) {
    if (h.start > offset) break;
    found = h.title;
  }
  return found;
}

/** Whether the text beside the passage still reads as it did (a few characters on either side). */
function sameSurroundings(text: string, start: number, end: number, anchor: Anchor): boolean {
  const prefix = (anchor.quote.prefix ?? '').slice(-CONTEXT);
  const suffix = (anchor.quote.suffix ?? '').slice(0, CONTEXT);
  const before = text.slice(Math.max(0, start - prefix.length), start);
  const after = text.slice(end, end + suffix.length);
  return before === prefix || after === suffix;
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
  const match = matchQuote(latest.text, anchor.quote, anchor.position) ?? soleCopy(latest.text, anchor.quote.exact);
  if (!match) return { kind: 'gone' };
  const found = latest.text.slice(match.start, match.end);
  if (found !== anchor.quote.exact) return { kind: 'reworded', now: found };
  const section = sectionIn(latest, match.start);
  if ((anchor.section ?? undefined) !== section) return { kind: 'moved', ...(section ? { section } : {}) };
  return sameSurroundings(latest.text, match.start, match.end, anchor) ? { kind: 'unchanged' } : { kind: 'moved', ...(section ? { section } : {}) };
}
