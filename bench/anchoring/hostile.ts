/**
 * Comments a hostile member could send to make anchoring slow for everyone who opens the draft,
 * on the 1.4 MB sample draft (the attacker controls only the comment) and on contrived pages (the
 * attacker controls the page too). Quotes are at most 10,000 characters, the most a peer may send.
 * Built deterministically; the cases came from hostile reviews of the matcher (2026-11-29).
 */
import type { TextPositionSelector, TextQuoteSelector } from '../../lib/anchoring/types';

export interface Hostile {
  name: string;
  page: string;
  quote: TextQuoteSelector;
  position: TextPositionSelector;
}

const comment = (name: string, page: string, prefix: string, exact: string, suffix: string, start: number): Hostile => ({
  name,
  page,
  quote: { type: 'TextQuoteSelector', prefix, exact, suffix },
  position: { type: 'TextPositionSelector', start, end: start + exact.length },
});

/** Places of `s` in `text`, up to `limit`. */
function places(text: string, s: string, limit = 1000): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(s); i !== -1 && out.length < limit; i = text.indexOf(s, i + 1)) out.push(i);
  return out;
}

/** The 64-character stretch, of `samples` evenly spaced, found most often in the text. */
function mostRepeated(text: string, length: number, samples: number): string {
  let best = { s: '', count: 0 };
  for (let k = 0; k < samples; k++) {
    const at = Math.floor((k / samples) * (text.length - length));
    const s = text.slice(at, at + length);
    const count = places(text, s).length;
    if (count > best.count) best = { s, count };
  }
  return best.s;
}

export function hostileComments(draft: string): Hostile[] {
  const out: Hostile[] = [];
  // Between a prefix the draft repeats (62 times) and a suffix repeated up to 8 times after each:
  // every place is a stretch to align and compare word by word.
  const prefix = mostRepeated(draft, 64, 400);
  const start = draft.indexOf(prefix) + prefix.length;
  const reach = draft.slice(start, start + 20_000);
  let suffix = '';
  let most = 0;
  for (let at = 0; at + 24 <= reach.length; at += 60) {
    const s = reach.slice(at, at + 24);
    const n = places(reach, s).length;
    if (n > most && n <= 8) [suffix, most] = [s, n];
  }
  const words = Array.from({ length: 10_000 }, (_, i) => `word${i % 50} `).join('').slice(0, 10_000);
  out.push(comment('draft: repeated context, words of its own', draft, prefix, words, suffix, start));
  out.push(comment("draft: repeated context, the draft's own text", draft, prefix, draft.slice(draft.length >> 1, (draft.length >> 1) + 10_000), suffix, start));
  // Ellipses spelt out as three characters each, the quote's head and tail a phrase the draft
  // repeats: every place of that phrase is aligned, each in a band three times as wide.
  const phrase = 'following the comments shared on the mailing list. national and regional igf initiatives (nris) ';
  const lower = draft.toLowerCase();
  const at = places(lower, phrase);
  if (at.length > 22) {
    const head = draft.slice(at[22], at[22] + 96);
    const mid = (s: string) => s.slice(64, 96) + s.slice(0, 96);
    out.push(comment('draft: ellipses, a repeated phrase at both ends', draft, head.slice(0, 64), mid(head) + '\u2026'.repeat(9744) + 'x'.repeat(32) + head, 'the full' + 'q'.repeat(56), at[22] + 64));
    out.push(comment('draft: 10,000 characters, a repeated phrase at both ends', draft, head.slice(0, 64), mid(head) + draft.slice(300_000, 309_744) + 'x'.repeat(32) + head, 'the full' + 'q'.repeat(56), at[22] + 64));
  }
  // A page that is one 2 MB line of a dozen words, a quote placed on it 48 times, a context that
  // reaches past line breaks (the lines are compared), and one İ (normalised a character at a time).
  const vocabulary = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const parts: string[] = [];
  let length = 0;
  const quote = 'a distinctive sentence quoted by the attacker';
  for (let k = 0; length < 2_000_000; k++) {
    const w = k % 1000 === 500 && parts.length < 48_000 ? quote : vocabulary[next() % vocabulary.length];
    parts.push(w);
    length += w.length + 1;
  }
  const line = parts.join(' ') + ' \u0130';
  const first = line.indexOf(quote);
  out.push(comment('page: one 2 MB line, 48 copies, an İ', line, '\nzzzz yyyy xxxx wwww vvvv uuuu tttt ssss rrrr qqqq pppp oooo nnnn', quote, ' kkkk jjjj\nhhhh gggg ffff eeee dddd cccc bbbb aaaa', first + 3));
  // One letter repeated: every character starts a copy of the context.
  const as = 'a'.repeat(2_000_000);
  out.push(comment('page: 2 MB of one letter', as, 'a'.repeat(64), 'a'.repeat(10_000), 'a'.repeat(64), 0));
  return out;
}
