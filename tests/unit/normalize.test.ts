import { describe, expect, it } from 'vitest';
import { LEFT_OUT, normalize, normalizeByChar, Normalized, rawPattern, toNormalized, toOriginal } from '../../lib/anchoring/normalize';
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

const POOL = ['a', 'B', 'c', ' ', ' ', '  ', '\n', '\u00a0', '\u2009', '\u3000', '\u200b', '\u00ad', '\ufeff', '\u2019', '\u201c', '\u2013', '\u2014', '\u2026', 'Σ', 'ς', '`', 'word', '\t'];

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

  it('falls back when lower case changes the length (İ)', () => {
    const input = 'İstanbul  Draft';
    expect(normalize(input).text).toBe(input.toLowerCase().replace(/\s+/g, ' '));
    expect(toOriginal(normalize(input), 0, 3, input.length)).toEqual({ start: 0, end: 2 });
  });
});

describe('Normalized.ofRegions', () => {
  it('is each region normalised, one LEFT_OUT between them, with offsets and distances those of the page', () => {
    const r = rng(11);
    for (let n = 0; n < 200; n++) {
      const input = Array.from({ length: r.int(20, 80) }, () => r.pick(POOL)).join('');
      const cuts = [...new Set(Array.from({ length: 4 }, () => r.int(0, input.length)))].sort((a, b) => a - b);
      const regions = [];
      for (let k = 0; k + 1 < cuts.length; k += 2) if (cuts[k + 1] > cuts[k]) regions.push({ start: cuts[k], end: cuts[k + 1] });
      const part = Normalized.ofRegions(input, regions);
      // The text: each region as normalised alone, LEFT_OUT standing for what lies between.
      let expected = '';
      let raw = 0;
      for (const { start, end } of regions) {
        if (start > raw) expected += LEFT_OUT;
        expected += normalize(input.slice(start, end)).text;
        raw = end;
      }
      if (raw < input.length) expected += LEFT_OUT;
      expect(part.text).toBe(expected);
      // Every character maps back into its region, as the region's own normalisation says.
      let at = 0;
      raw = 0;
      for (const { start, end } of regions) {
        if (start > raw) {
          expect(part.originalAt(at)).toBe(raw);
          at++;
        }
        const alone = normalize(input.slice(start, end));
        for (let i = 0; i < alone.text.length; i++) expect(part.originalAt(at + i)).toBe(alone.originalAt(i) + start);
        at += alone.text.length;
        raw = end;
      }
      // Distances count what was left out; offsetAt finds the offset back.
      for (let i = 1; i <= part.text.length; i++) {
        expect(part.virtualAt(i)).toBeGreaterThan(part.virtualAt(i - 1));
        expect(part.offsetAt(part.virtualAt(i))).toBe(i);
      }
      expect(part.virtualLength).toBe(part.virtualAt(part.text.length));
    }
  });

  it('counts the whole page as it is when nothing is left out', () => {
    const whole = normalize('Some  text, “quoted”.');
    expect([0, 5, whole.text.length].map((i) => whole.virtualAt(i))).toEqual([0, 5, whole.text.length]);
    expect(Normalized.ofRegions('Some text', [{ start: 0, end: 9 }]).text).toBe('some text');
    const part = Normalized.ofRegions('Some text and more', [{ start: 5, end: 9 }]);
    expect(part.text).toBe(`${LEFT_OUT}text${LEFT_OUT}`);
    expect(part.virtualLength).toBe(18);
    expect(part.virtualAt(1)).toBe(5);
  });
});

describe('rawPattern', () => {
  const finds = (raw: string, page: string) => [...page.matchAll(rawPattern(normalize(raw).text))].map((m) => m[0]);

  it('matches the raw text of any typography or case that normalises the same, and nothing else', () => {
    const r = rng(5);
    const quote = "The MAG's “option paper” — see p. 3… (draft) [v2] *final* $10 a+b? c\\d";
    for (let n = 0; n < 50; n++) {
      const retyped = quote
        .replace(/ /g, () => r.pick([' ', '  ', '\n', '\u00a0', '\u2009']))
        .replace(/'/g, () => r.pick(["'", '\u2019', '`']))
        .replace(/[“”]/g, () => r.pick(['"', '\u201c', '\u00ab']))
        .replace('—', r.pick(['-', '\u2013', '\u2212']))
        .replace('…', r.pick(['...', '\u2026']));
      const cased = r.int(0, 1) ? retyped.toUpperCase() : retyped;
      expect(normalize(cased).text).toBe(normalize(quote).text);
      expect(finds(quote, `before ${cased} after`)).toEqual([cased]);
    }
    expect(finds(quote, quote.replace('final', 'finals'))).toEqual([]);
    expect(finds(quote, quote.replace('a+b', 'aab'))).toEqual([]);
  });

  it('folds a final sigma like the page, and finds every place', () => {
    expect(finds('ΟΔΟΣ ΟΔΟΣ', 'οδος οδός · ΟΔΟΣ ΟΔΟΣ · οδοσ οδοσ')).toEqual(['ΟΔΟΣ ΟΔΟΣ', 'οδοσ οδοσ']);
  });
});
