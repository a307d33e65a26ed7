import { describe, expect, it } from 'vitest';
import { normalize, normalizeByChar, toNormalized, toOriginal, type Normalized } from '../../lib/anchoring/normalize';
import { rng } from '../../bench/support';

/** The rules of normalize.ts, one character at a time with a full offset map: the oracle. */
function reference(input: string): { text: string; map: number[] } {
  const fold: Record<string, string> = { '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2013': '-', '\u2014': '-', '\u2026': '...', '\u03c2': '\u03c3', '`': "'" };
  let text = '';
  const map: number[] = [];
  let lastSpace = true;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (/[ \t\n\u00a0\u2009\u3000]/.test(ch)) {
      if (!lastSpace) {
        text += ' ';
        map.push(i);
      }
      lastSpace = true;
    } else if (/[\u200b\u00ad\ufeff]/.test(ch)) {
      continue;
    } else {
      lastSpace = false;
      const out = fold[ch] ?? fold[ch.toLowerCase()] ?? ch.toLowerCase();
      for (const c of out) {
        text += c;
        map.push(i);
      }
    }
  }
  return { text, map };
}

function agrees(input: string, norm: Normalized) {
  const ref = reference(input);
  expect(norm.text).toBe(ref.text);
  ref.map.forEach((orig, i) => expect(toOriginal(norm, i, i + 1, input.length).start).toBe(orig));
  for (let orig = 0; orig <= input.length; orig++) {
    const want = ref.map.findIndex((o) => o >= orig);
    expect(toNormalized(norm, orig)).toBe(want === -1 ? ref.text.length : want);
  }
}

const POOL = ['a', 'B', '\u0130', '\ufdd0', 'c', ' ', ' ', '  ', '\n', '\u00a0', '\u2009', '\u3000', '\u200b', '\u00ad', '\ufeff', '\u2019', '\u201c', '\u2013', '\u2014', '\u2026', 'Σ', 'ς', '`', 'word', '\t'];

describe('normalize', () => {
  it('folds typography, spaces and case, and maps every offset back, like the one-character-at-a-time rules', () => {
    const r = rng(7);
    for (let n = 0; n < 400; n++) {
      const input = Array.from({ length: r.int(0, 30) }, () => r.pick(POOL)).join('');
      agrees(input, normalize(input));
      agrees(input, normalizeByChar(input));
    }
  });

  it('handles the cases that shift offsets', () => {
    for (const input of ['  Lead and trail  ', '\u200b\u200b x', 'a\u00adb', 'x \u00ad y', 'Wait\u2026 “quoted” — done', 'ΟΔΟΣ οδός', '']) agrees(input, normalize(input));
  });

  it('lower-cases a character outside the BMP whole, on either path', () => {
    // A page takes the slow path when it holds İ and all 32 noncharacters that could stand in for it.
    for (const input of ['𐐀bc 𐐁', 'x\ud801', '\udc00y', 'A\ud801\udc00B']) expect(normalizeByChar(input).text).toBe(normalize(input).text);
    expect(normalizeByChar('İ 𐐀').text.endsWith('𐐨')).toBe(true);
  });

  it('keeps offsets where lower case changes the length (İ), on the fast path and the slow one', () => {
    const input = 'İstanbul  Draft';
    expect(normalize(input).text).toBe(input.toLowerCase().replace(/\s+/g, ' '));
    expect(toOriginal(normalize(input), 0, 3, input.length)).toEqual({ start: 0, end: 2 });
    // Every noncharacter that could stand in for İ already in the page: one character at a time.
    const crowded = 'İ\u00a0x ' + Array.from({ length: 32 }, (_, k) => String.fromCharCode(0xfdd0 + k)).join('') + ' İ';
    agrees(crowded, normalize(crowded));
    expect(normalize(crowded).text).toBe(normalizeByChar(crowded).text);
  });
});
