/**
 * Finding a quote in plain text. This first version handles the unchanged draft: the quote at its
 * recorded position, or elsewhere verbatim with its context deciding between copies.
 */
import type { TextPositionSelector, TextQuoteSelector } from './types';

export interface Match {
  start: number;
  end: number;
  /** 1 = verbatim at the recorded position; see docs/anchoring.md for the scale. */
  score: number;
}

function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

export function matchQuote(text: string, quote: TextQuoteSelector, position?: TextPositionSelector): Match | null {
  const { exact } = quote;
  if (!exact) return null;
  if (position && text.slice(position.start, position.end) === exact) {
    return { start: position.start, end: position.end, score: 1 };
  }
  let best: Match | null = null;
  let bestKey = -Infinity;
  const prefix = quote.prefix ?? '';
  const suffix = quote.suffix ?? '';
  for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1)) {
    const context =
      commonSuffix(text.slice(Math.max(0, i - prefix.length), i), prefix) +
      commonPrefix(text.slice(i + exact.length, i + exact.length + suffix.length), suffix);
    const distance = position ? Math.abs(i - position.start) / Math.max(1, text.length) : 0;
    const key = context - distance;
    if (key > bestKey) {
      bestKey = key;
      best = { start: i, end: i + exact.length, score: 0.95 };
    }
  }
  return best;
}
