/**
 * Where a thread sits in the page now, and what the revision did to its passage. Matching is the
 * costly part, so results are kept per thread (its anchor, from its signed first event, never
 * changes) until the page text changes (`Placements.reset`): a reply re-folds the review but
 * moves nothing.
 */
import { matchQuote, sectionAt, textRange, type Match, type PageText } from '../anchoring';
import { normalize } from '../anchoring/normalize';
import { sameSurroundings } from '../anchoring/surroundings';
import type { Anchor } from '../anchoring';

/** A thread's passage as the page agent is asked to find it. */
export interface AnchorRequest {
  id: string;
  anchor: Anchor;
}

/** Where a thread's passage is in the page now: plain data, sent from the page to the panel. */
export interface Placement {
  id: string;
  /** Where the passage starts in the page text; null when it is no longer in the page (an orphan). */
  start: number | null;
  /** Heading the passage sits under now (where it was, for an orphan); '' before any heading. */
  section: string;
  /** The passage's text now, when it reads differently from the quote (the draft was revised). */
  now: string | null;
  /**
   * The passage reads the same but now sits under another heading, between other words on both
   * sides, and its old heading is still in the draft: where it was and where it is. A renamed or
   * renumbered heading, or a section inserted above the passage, is no move.
   */
  moved: { from: string; to: string } | null;
}

/** Same words once typography and spacing are set aside: such a passage did not change. */
function sameWords(a: string, b: string): boolean {
  return normalize(a).text === normalize(b).text;
}

export class Placements {
  private matches = new Map<string, Match | null>();

  /** The page text changed: every anchor must be matched again. */
  reset(): void {
    this.matches.clear();
  }

  /** Where the passage is, and its live range in the page (null for an orphan). */
  place(thread: AnchorRequest, page: PageText, doc: Document): { placement: Placement; range: Range | null } {
    let m = this.matches.get(thread.id);
    if (m === undefined) {
      m = matchQuote(page.text, thread.anchor.quote, thread.anchor.position);
      this.matches.set(thread.id, m);
    }
    const range = m ? textRange(page, m.start, m.end, doc) : null;
    const at = range && m ? m : null;
    const text = at ? page.text.slice(at.start, at.end) : null;
    const now = text !== null && !sameWords(text, thread.anchor.quote.exact) ? text : null;
    const section = (at ? sectionAt(page, at.start) : thread.anchor.section) ?? '';
    const was = thread.anchor.section;
    const moved =
      at && now === null && was && section !== was && page.headings.some((h) => h.text === was) && !sameSurroundings(page.text, at.start, at.end, thread.anchor.quote)
        ? { from: was, to: section }
        : null;
    return { placement: { id: thread.id, start: at ? at.start : null, section, now, moved }, range };
  }
}
