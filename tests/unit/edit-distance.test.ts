import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandedDistance } from '../../lib/anchoring/edit-distance';

/** The banded table written out in full: cells farther than `band` from the diagonal are unreachable. */
function reference(a: string, b: string, band: number): number {
  if (Math.abs(a.length - b.length) > band) return Math.abs(a.length - b.length);
  const INF = 1 << 29;
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (Math.abs(i - j) > band ? INF : i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = Math.max(1, i - band); j <= Math.min(b.length, i + band); j++) {
      d[i][j] = Math.min(d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), d[i - 1][j] + 1, d[i][j - 1] + 1);
    }
  }
  return Math.min(d[a.length][b.length], INF);
}

/** Plain Levenshtein distance. */
function levenshtein(a: string, b: string): number {
  return reference(a, b, Math.max(a.length, b.length));
}

describe('bandedDistance', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', 'é', '\u{1F7E2}'), maxLength: 40 });

  it('is the banded table, cell for cell: the distance within the band, more than the band beyond it (property)', () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 12 }), (a, b, band) => {
        const got = bandedDistance(a, b, band);
        expect(got).toBe(reference(a, b, band));
        const exact = levenshtein(a, b);
        if (exact <= band) expect(got).toBe(exact);
        else expect(got).toBeGreaterThan(band);
      }),
      { numRuns: 2000 },
    );
  });

  it('reuses its arrays safely across lengths: a long pair, then a short one', () => {
    const long = 'the programme framework '.repeat(200);
    expect(bandedDistance(long, long.replace('framework', 'frame work'), 20)).toBe(1);
    expect(bandedDistance('kitten', 'sitting', 5)).toBe(3);
  });
});
