/**
 * Comments a hostile member could send to make anchoring slow for everyone who opens the draft:
 * the longest quote a peer may send (10,000 characters), between a prefix the draft repeats and a
 * suffix it repeats after each place of the prefix, so that every one of those places is a stretch
 * to align and compare word by word. Built from the draft itself, deterministically.
 */
import type { TextPositionSelector, TextQuoteSelector } from '../../lib/anchoring/types';

export interface Hostile {
  name: string;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

/** The 64-character stretch, of `samples` evenly spaced, found most often in the text. */
function mostRepeated(text: string, length: number, samples: number, from = 0, to = text.length): { s: string; at: number; count: number } {
  let best = { s: '', at: -1, count: 0 };
  for (let k = 0; k < samples; k++) {
    const at = from + Math.floor((k / samples) * (to - from - length));
    const s = text.slice(at, at + length);
    let count = 0;
    for (let i = text.indexOf(s, from); i !== -1 && i < to && count < 1000; i = text.indexOf(s, i + 1)) count++;
    if (count > best.count) best = { s, at, count };
  }
  return best;
}

export function hostileComments(text: string, quoteLength = 10_000): Hostile[] {
  const prefix = mostRepeated(text, 64, 400);
  const start = text.indexOf(prefix.s) + prefix.s.length;
  // A suffix found up to 8 times within reach after the prefix: the most the search aligns there.
  const reach = text.slice(start, start + 2 * quoteLength);
  let suffix = '';
  let most = 0;
  for (let at = 0; at + 24 <= reach.length; at += 60) {
    const s = reach.slice(at, at + 24);
    let n = 0;
    for (let i = reach.indexOf(s); i !== -1; i = reach.indexOf(s, i + 1)) n++;
    if (n > most && n <= 8) [suffix, most] = [s, n];
  }
  const words = Array.from({ length: quoteLength }, (_, i) => `word${i % 50} `).join('').slice(0, quoteLength);
  const own = text.slice(text.length >> 1, (text.length >> 1) + quoteLength);
  const comment = (name: string, exact: string): Hostile => ({
    name,
    quote: { type: 'TextQuoteSelector', prefix: prefix.s, exact, suffix },
    position: { type: 'TextPositionSelector', start, end: start + exact.length },
  });
  return [comment('words of its own', words), comment("the draft's own text", own)];
}
