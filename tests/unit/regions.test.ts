/**
 * Matching in regions of a page (lib/anchoring/regions.ts): which regions a comment gets, the
 * check for a place outside them, and — over a seeded corpus of revisions — that the first answer
 * from regions is the whole page's answer, or the right place where the two differ.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchQuote } from '../../lib/anchoring';
import { forgetPreparedText, isPrepared, REGIONS_FOR } from '../../lib/anchoring/match';
import { rawPattern } from '../../lib/anchoring/normalize';
import { foundOutside, REGIONS_FROM, regionsFor } from '../../lib/anchoring/regions';
import { buildRevision } from '../../bench/anchoring/corpus';
import { draftText, rng } from '../../bench/support';

const reach = { near: 2048, far: 4000 };
// 40,000 characters of filler, the passage and a copy of its context in it.
const filler = (n: number) => Array.from({ length: n }, (_, k) => `line ${k} of the filler text`).join('\n');

describe('regionsFor', () => {
  const page = `${filler(600)}\nthe context before it: the commented passage itself, and the context after it.\n${filler(600)}`;
  const at = page.indexOf('the commented passage itself');
  const [prefix, exact, suffix] = ['the context before it: ', 'the commented passage itself', ', and the context after it.'];

  it('puts a region around the recorded position and around each find, with room for a quote twice as long', () => {
    const regions = regionsFor(page, prefix, exact, suffix, 100, reach)!;
    expect(regions).toHaveLength(2);
    expect(regions[0].start).toBe(0);
    expect(regions[0].end).toBeGreaterThanOrEqual(100 + exact.length + reach.near);
    const [found] = regions.filter((r) => r.start <= at && at < r.end);
    expect(found.start).toBeLessThanOrEqual(at - prefix.length - 2 * exact.length);
    expect(found.end).toBeGreaterThanOrEqual(at + 3 * exact.length + suffix.length);
  });

  it('looks around the recorded position farther when a side of the context is found nowhere', () => {
    const regions = regionsFor(page, 'a prefix found nowhere at all', exact, suffix, 20_000, reach)!;
    const around = regions.find((r) => r.start <= 20_000 && 20_000 < r.end)!;
    expect(around.end - around.start).toBeGreaterThanOrEqual(2 * reach.far);
  });

  it('ignores a string found too often, and gives up when the regions would cover most of the page', () => {
    // "of the filler text" is on every line: found too often, it adds nothing.
    expect(regionsFor(page, prefix, 'of the filler text', suffix, 100, reach)!.length).toBeLessThanOrEqual(2);
    const repeated = Array.from({ length: 40 }, () => `${prefix}${exact}${suffix}\n${filler(20)}`).join('\n');
    expect(regionsFor(repeated, prefix, exact, suffix, 100, reach)).toBeNull();
  });
});

describe('foundOutside', () => {
  const text = 'aaa Quoted Text bbb quoted  text ccc';
  const pattern = () => rawPattern('quoted text');
  it('is false only when every match lies wholly inside one region', () => {
    expect(foundOutside(text, pattern(), [{ start: 0, end: 16 }, { start: 19, end: 33 }])).toBe(false);
    expect(foundOutside(text, pattern(), [{ start: 0, end: 16 }])).toBe(true);
    // A match that starts in a region and runs past its end is outside.
    expect(foundOutside(text, pattern(), [{ start: 0, end: 16 }, { start: 19, end: 28 }])).toBe(true);
    expect(foundOutside(text, pattern(), [])).toBe(true);
    expect(foundOutside('nothing here', pattern(), [])).toBe(false);
  });
});

describe('matching in regions, over a corpus of revisions', () => {
  const fixture = readFileSync(new URL('../../bench/anchoring/fixtures/handbook.txt', import.meta.url), 'utf8').trimEnd();
  const large = draftText('programme-framework-large.html');
  const docs = [
    { name: 'handbook', text: fixture, revisions: 3 },
    // The template draft, whose stock sentences make look-alikes far from each passage.
    { name: 'consolidated, part', text: large.slice(0, large.indexOf('\n', 300_000)), revisions: 1 },
  ];

  it('gives the whole page its answer, or the right place where they differ', () => {
    // A seed of its own: neither the tuning nor the held-back part of bench:anchoring.
    const r = rng(31);
    let regional = 0;
    for (const doc of docs) {
      for (let n = 0; n < doc.revisions; n++) {
        const rev = buildRevision(r, doc.name, doc.text, 4);
        expect(rev.revised.length).toBeGreaterThanOrEqual(REGIONS_FROM);
        for (const c of rev.comments) {
          forgetPreparedText();
          const first = matchQuote(rev.revised, c.quote, c.position);
          if (!isPrepared(rev.revised)) regional++;
          for (let k = 0; k < REGIONS_FOR; k++) matchQuote(rev.revised, c.quote, c.position);
          const whole = matchQuote(rev.revised, c.quote, c.position);
          if (JSON.stringify(first) === JSON.stringify(whole)) continue;
          expect(first && c.expected && first.start === c.expected.start && first.end === c.expected.end, `${c.kind} in ${doc.name}`).toBe(true);
        }
      }
    }
    // Most answers came from regions alone: the test would notice the regions never being used.
    expect(regional).toBeGreaterThan(50);
  });
});
