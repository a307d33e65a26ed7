// @vitest-environment happy-dom
/**
 * The v1 → v2 fixture pair: comments placed on v1 (every sentence, and a clause inside each)
 * must re-anchor in v2 to the same passage, or be orphans exactly where their paragraph was deleted.
 * Which v2 paragraph is "the same" is decided independently of the matcher: by word overlap.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeOffsets, extractText, matchQuote, type PageText } from '../../lib/anchoring';

const DRAFTS = join(dirname(fileURLToPath(import.meta.url)), '../../samples');
function page(name: string): PageText {
  const doc = new DOMParser().parseFromString(readFileSync(join(DRAFTS, name), 'utf8'), 'text/html');
  return extractText(doc.body);
}

interface Span { start: number; end: number; text: string }
function lines(text: string): Span[] {
  const out: Span[] = [];
  let at = 0;
  for (const line of text.split('\n')) {
    out.push({ start: at, end: at + line.length, text: line });
    at += line.length + 1;
  }
  return out;
}
function sentences(line: Span): Span[] {
  const out: Span[] = [];
  const re = /[^.]+(?:\.(?=\s|$)|$)/g;
  for (const m of line.text.matchAll(re)) {
    const lead = m[0].length - m[0].trimStart().length;
    const t = m[0].trim();
    if (t.length > 12) out.push({ start: line.start + m.index! + lead, end: line.start + m.index! + lead + t.length, text: t });
  }
  return out;
}
const words = (s: string) => new Set(s.toLowerCase().split(/\W+/).filter(Boolean));
function jaccard(a: string, b: string): number {
  const x = words(a);
  const y = words(b);
  let both = 0;
  for (const w of x) if (y.has(w)) both++;
  return both / (x.size + y.size - both);
}
const overlap = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)) / (Math.max(a.end, b.end) - Math.min(a.start, b.start));

describe('v1 → v2 revision', () => {
  const v1 = page('programme-framework-v1.html');
  const v2 = page('programme-framework-v2.html');
  const v2Lines = lines(v2.text);

  it('re-anchors every comment to its passage, or orphans it where the paragraph was deleted', () => {
    let placed = 0;
    let orphans = 0;
    let ambiguous = 0;
    const failures: string[] = [];
    for (const line of lines(v1.text)) {
      if (line.text.length < 60) continue; // headings and list numbers
      const counterpart = v2Lines.map((l) => ({ l, sim: jaccard(l.text, line.text) })).sort((a, b) => b.sim - a.sim)[0];
      const twin = counterpart.sim > 0.85 ? counterpart.l : null;
      const v1Sentences = sentences(line);
      const v2Sentences = twin ? sentences(twin) : [];
      v1Sentences.forEach((s, k) => {
        // A clause-sized selection (what reviewers usually mark) from a third into the sentence.
        const phraseStart = s.start + Math.floor(s.text.length / 3);
        const phraseEnd = Math.min(s.end, phraseStart + 48);
        const targets = [s, { start: phraseStart, end: phraseEnd, text: v1.text.slice(phraseStart, phraseEnd) }];
        for (const target of targets) {
          const anchor = describeOffsets(v1, target.start, target.end);
          const m = matchQuote(v2.text, anchor.quote, anchor.position);
          const expected = twin ? v2Sentences[k] : null;
          // Drafts repeat phrases: where quote and context together occur more than once in v1,
          // the selectors cannot say which copy was meant. Such a comment may go to any verbatim copy.
          const whole = anchor.quote.prefix! + anchor.quote.exact + anchor.quote.suffix!;
          if (v1.text.indexOf(whole) !== v1.text.lastIndexOf(whole)) {
            if (m && v2.text.slice(m.start, m.end) !== anchor.quote.exact && !(expected && overlap(m, expected) > 0)) {
              failures.push(`ambiguous "${target.text}" → "${v2.text.slice(m.start, m.end)}"`);
            }
            ambiguous++;
            continue;
          }
          if (!expected) {
            if (m) failures.push(`deleted passage anchored: "${target.text}" → "${v2.text.slice(m.start, m.end)}"`);
            else orphans++;
            continue;
          }
          const inSentence = m && m.start >= expected.start - 1 && m.end <= expected.end + 1;
          const right = target === s ? m && overlap(m, expected) > 0.8 : inSentence;
          if (!right) failures.push(`"${target.text}" → ${m ? `"${v2.text.slice(m.start, m.end)}"` : 'orphan'}; expected in "${expected.text}"`);
          else placed++;
        }
      });
    }
    expect(failures).toEqual([]);
    expect(orphans).toBeGreaterThanOrEqual(4); // the deleted paragraph's sentences and phrases
    expect(placed).toBeGreaterThan(500);
    expect(ambiguous).toBeLessThan(placed / 10);
  });
});
