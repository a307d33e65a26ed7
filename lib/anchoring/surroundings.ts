/**
 * Whether a passage still stands between the words it stood between: a few characters of its
 * recorded prefix just before it, or of its suffix just after it. Used to tell a passage that
 * moved (both sides new) from one whose neighbourhood was edited or given a new heading.
 */
import type { TextQuoteSelector } from './types';

export function sameSurroundings(text: string, start: number, end: number, quote: TextQuoteSelector, chars = 12): boolean {
  const prefix = (quote.prefix ?? '').slice(-chars);
  const suffix = (quote.suffix ?? '').slice(0, chars);
  const before = text.slice(Math.max(0, start - prefix.length), start);
  const after = text.slice(end, end + suffix.length);
  return before === prefix || after === suffix;
}
