/** A draft's outline as exports and the hub keep it: its headings in order, bounded. */
import type { PageText } from '../anchoring/text';
import type { OutlineEntry } from './input';

/** Most headings, and longest heading, an outline keeps (the hub refuses more: lib/hub/drafts.ts). */
export const OUTLINE_LIMITS = { headings: 5_000, title: 500 } as const;

export function outlineOf(page: Pick<PageText, 'headings'>): OutlineEntry[] {
  return page.headings.slice(0, OUTLINE_LIMITS.headings).map((h) => ({ level: h.level, title: h.text.slice(0, OUTLINE_LIMITS.title), start: h.start }));
}
