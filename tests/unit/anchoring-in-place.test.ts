/**
 * Step 2½ of the matcher (issue 16): a passage edited in place, between its whole recorded context,
 * is found in a window around its recorded position, normalised alone; a prepared page gives the
 * same answer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';
import { IN_PLACE } from '../../lib/anchoring/in-place';
import { forgetPreparedText, INDEX_AFTER, isPrepared } from '../../lib/anchoring/prepared-page';

const para = (k: number, gap = ' ') => `Paragraph ${k} of the draft says something of its own about item ${k * 7} and its follow-up.${gap}`;
const draft = (n: number, gap?: string) => Array.from({ length: n }, (_, k) => para(k, gap)).join('\n');

function anchor(text: string, passage: string) {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`not in text: ${passage}`);
  return describeText(text, at, at + passage.length);
}
const found = (text: string, m: { start: number; end: number } | null) => (m ? text.slice(m.start, m.end) : null);
/** Prepares `text` as the panel would after a few comments: normalised, and indexed. */
function prepareFully(text: string) {
  forgetPreparedText();
  for (let k = 0; k <= INDEX_AFTER; k++) matchQuote(text, { type: 'TextQuoteSelector', exact: `no such passage ${k}` });
  expect(isPrepared(text)).toBe(true);
}

describe('matchQuote: a passage edited in place', () => {
  const text = draft(2000);
  const passage = 'something of its own about item 7000 and';
  const s = anchor(text, passage);
  const edited = (t: string) => t.replaceAll('its own about item 7000', 'its very own about item 7000');

  it('is found past the first reach, within the farthest, without normalising the page', () => {
    const revised = edited('A new part.\n'.repeat(Math.ceil((IN_PLACE[0] + 2000) / 12)) + text);
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe('something of its very own about item 7000 and');
    expect(isPrepared(revised)).toBe(false);
  });

  it('leaves two equally good places, neither near the position, to the full search', () => {
    // The passage and a copy of it with its context, both edited alike, 4,000 and 5,000 characters
    // from where it was: nothing tells them apart, and neither is near.
    const at = text.indexOf(passage);
    const copy = text.slice(at - 40, at + passage.length + 40);
    const revised = edited(text.slice(0, at - 40) + 'x'.repeat(4000) + copy + 'y'.repeat(1000) + text.slice(at - 40));
    forgetPreparedText();
    expect(matchQuote(revised, s.quote, s.position)).toBeNull();
  });

  it('is taken over a copy with its whole context in other typography far away, on a fresh page and a prepared one', () => {
    // The copy is the only one with all the words (once normalised), so the full search alone would
    // take it; the passage edited in its place is what step 2½ finds first, on either page.
    const at = text.indexOf(passage);
    const copy = text.slice(at - 40, at + passage.length + 40).replace('Paragraph', 'PARAGRAPH').replaceAll(' ', '\u00a0');
    const revised = edited(text) + '\nAnnex, as recalled:\n' + copy;
    const expected = 'something of its very own about item 7000 and';
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(expected);
    prepareFully(revised);
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(expected);
  });

  it('takes the nearest of copies verbatim in their context near the position, retyped, without preparing the page', () => {
    // Curly apostrophes put in by the revision: no raw copy of the recorded context is left, and
    // the copy 1,000 characters after the passage is as good but farther.
    const row = "the group's measures under the programme's calendar";
    const line = `A sentence that leads in to the row. Before it: ${row}, after it, and then other words.`;
    const original = `${draft(300)}\n${line}\n${'x'.repeat(1000)}\n${line}\n${draft(300)}`;
    const sel = anchor(original, row);
    const revised = ('A new paragraph.\n'.repeat(100) + original).replaceAll("'", '\u2019');
    forgetPreparedText();
    const m = matchQuote(revised, sel.quote, sel.position);
    expect(m?.start).toBe(revised.indexOf(row.replaceAll("'", '\u2019')));
    expect(isPrepared(revised)).toBe(false);
  });

  it('is not taken for a template row near the position when the passage, moved, sits in the same frame farther away', () => {
    // Two rows of one frame: the commented one and its sibling, one character apart. The revision
    // moves the commented row 40,000 characters down and capitalises a word of it, so neither the
    // raw page nor the window holds it; the sibling is the one stretch between the context nearby.
    const row = (n: number, word = 'measures') => `Each Party shall notify the Secretariat of the ${word} under paragraph ${n} within thirty days of their adoption.`;
    const filler = Array.from({ length: 400 }, (_, k) => `Filler sentence ${k} about other matters entirely.`).join('\n');
    const original = `${filler}\n${row(6)}\n${row(5)}\n${filler}`;
    const sel = anchor(original, 'the measures under paragraph 5');
    const moved = row(5, 'Measures');
    const revised = `${filler}\n${row(6)}\n${filler}\n${'Inserted text. '.repeat(2700)}\n${moved}`;
    const expected = revised.indexOf(moved) + moved.indexOf('the Measures');
    forgetPreparedText();
    expect(matchQuote(revised, sel.quote, sel.position)).toMatchObject({ start: expected, end: expected + 'the measures under paragraph 5'.length });
  });

  it('gives the same answer on a fresh page and on a prepared, indexed one, however much white space the page has (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1999 }), fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 1, max: 900 }), fc.boolean(), (k, shift, gap, edit) => {
        // Runs of white space between paragraphs shrink a window once normalised.
        const page = draft(600, ' '.repeat(gap));
        const passage = para(k % 600).slice(10, 70);
        const sel = anchor(page, passage);
        const revised = 'New text.\n'.repeat(shift / 10) + (edit ? page.replace(passage, passage.replace('of the draft', 'of this draft')) : page.replace(passage, passage.toUpperCase()));
        forgetPreparedText();
        const cold = matchQuote(revised, sel.quote, sel.position);
        prepareFully(revised);
        expect(matchQuote(revised, sel.quote, sel.position)).toEqual(cold);
      }),
      { numRuns: 40 },
    );
  });
});
