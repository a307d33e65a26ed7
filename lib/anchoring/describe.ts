/** From a selection in the page to the selectors stored with a thread. */
import { sectionAt, textOffset, type PageText } from './text';
import type { Anchor } from './types';

export const CONTEXT_LENGTH = 32;

export function describeRange(page: PageText, range: Range): Anchor | null {
  let start = textOffset(page, range.startContainer, range.startOffset);
  let end = textOffset(page, range.endContainer, range.endOffset);
  // Trim separators and spaces the selection picked up at its edges.
  while (start < end && /\s/.test(page.text[start])) start++;
  while (end > start && /\s/.test(page.text[end - 1])) end--;
  if (end <= start) return null;
  return describeOffsets(page, start, end);
}

export function describeOffsets(page: PageText, start: number, end: number): Anchor {
  const section = sectionAt(page, start);
  return { ...describeText(page.text, start, end), ...(section ? { section } : {}) };
}

/** Selectors for [start, end) of plain text (tests, benchmarks, and tools without a DOM). */
export function describeText(text: string, start: number, end: number): { quote: Anchor['quote']; position: NonNullable<Anchor['position']> } {
  return {
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
      suffix: text.slice(end, end + CONTEXT_LENGTH),
    },
    position: { type: 'TextPositionSelector', start, end },
  };
}
