import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GramIndex } from '../../lib/anchoring/gram-index';

/** Every place of `s` in `text`, by scanning. */
function places(text: string, s: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + 1)) out.push(i);
  return out;
}

describe('GramIndex', () => {
  const word = fc.constantFrom('forum', 'the', 'review', 'of', 'session', 'mandate', 'a', 'intersessional');
  const sentence = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max }).map((w) => w.join(' '));

  it('finds what a scan finds, none past the limit, and says whether a string occurs at all (property)', () => {
    fc.assert(
      fc.property(sentence(0, 300), sentence(2, 6), fc.integer({ min: 1, max: 8 }), (text, words, limit) => {
        const index = new GramIndex(text);
        // A needle that starts inside a word, as a quote's context may.
        for (const s of [' ' + words, 'x' + words, words]) {
          const found = index.find(s, limit);
          const has = index.has(s);
          if (found === null || has === null) {
            expect(found).toBeNull();
            expect(has).toBeNull();
            continue;
          }
          const all = places(text, s);
          expect(found).toEqual(all.length > limit ? [] : all);
          expect(has).toBe(all.length > 0);
        }
      }),
      { numRuns: 400 },
    );
  });
});
