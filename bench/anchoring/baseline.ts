/**
 * The common approach, as a baseline: exact occurrences if there are any, otherwise Myers'
 * approximate search (approx-string-match) allowing up to half the quote as errors; every
 * match scored on quote 50, prefix 20, suffix 20, position 2; the best one wins, with no
 * acceptance threshold. Written from that description for comparison only.
 */
import search from 'approx-string-match';
import type { Match } from '../../lib/anchoring';
import type { TextPositionSelector, TextQuoteSelector } from '../../lib/anchoring/types';

function contextScore(text: string, str: string): number {
  if (!str.length) return 1;
  const found = search(text, str, str.length);
  if (!found.length) return 0;
  return 1 - Math.min(...found.map((m) => m.errors)) / str.length;
}

function candidates(text: string, str: string, maxErrors: number) {
  const exact: { start: number; end: number; errors: number }[] = [];
  for (let i = text.indexOf(str); i !== -1; i = text.indexOf(str, i + 1)) exact.push({ start: i, end: i + str.length, errors: 0 });
  return exact.length ? exact : search(text, str, maxErrors);
}

export function baselineMatch(text: string, quote: TextQuoteSelector, position?: TextPositionSelector): Match | null {
  const exact = quote.exact;
  const prefix = quote.prefix ?? '';
  const suffix = quote.suffix ?? '';
  const found = candidates(text, exact, Math.min(256, exact.length / 2));
  if (!found.length) return null;
  const hint = position?.start ?? text.length / 2;
  let best: Match | null = null;
  for (const m of found) {
    const q = 1 - m.errors / exact.length;
    const p = contextScore(text.slice(Math.max(0, m.start - prefix.length), m.start), prefix);
    const s = contextScore(text.slice(m.end, m.end + suffix.length), suffix);
    const pos = 1 - Math.abs(m.start - hint) / text.length;
    const score = (50 * q + 20 * p + 20 * s + 2 * pos) / 92;
    if (!best || score > best.score) best = { start: m.start, end: m.end, score };
  }
  return best;
}
