/**
 * Issue 16: reworded passages, blocks moved whole, and a freshly revised page prepared only as far
 * as its comments need.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';
import { forgetPreparedText, INDEX_AFTER, isPrepared, REGIONS_FOR, wordSimilarity, words } from '../../lib/anchoring/match';

const BEFORE = 'Opening remarks came first, then the agenda was adopted without change.\n';
const AFTER = '\nThe meeting closed at noon after a short discussion of other business.';
const PASSAGE = 'The working group proposed to strengthen the meeting calendar before the next session of the forum.';

function anchor(text: string, passage: string) {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`not in text: ${passage}`);
  return describeText(text, at, at + passage.length);
}
const found = (text: string, m: { start: number; end: number } | null) => (m ? text.slice(m.start, m.end) : null);

describe('wordSimilarity', () => {
  it('is 1 for the same words, lower for synonyms and added clauses, low for another sentence on stock words', () => {
    const w = (s: string) => words(s.toLowerCase());
    expect(wordSimilarity(w(PASSAGE), w(PASSAGE))).toBe(1);
    const synonyms = wordSimilarity(w(PASSAGE), w(PASSAGE.replace('proposed', 'suggested').replace('strengthen', 'reinforce')));
    const clause = wordSimilarity(w(PASSAGE), w(PASSAGE.replace('the meeting', 'as a matter of priority the meeting')));
    const other = wordSimilarity(w('its support for the review period for'), w('its support for a poll of the community for'));
    expect(synonyms).toBeGreaterThan(0.65);
    expect(clause).toBeGreaterThan(0.75);
    expect(other).toBeLessThan(0.6);
  });

  it('is symmetric, between 0 and 1, and 1 exactly for the same words (property)', () => {
    const word = fc.constantFrom('the', 'forum', 'meeting', 'of', 'calendar', 'proposed', 'a', 'strengthen', 'review');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), fc.array(word, { minLength: 1, maxLength: 20 }), (a, b) => {
        const s = wordSimilarity(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(wordSimilarity(b, a)).toBeCloseTo(s, 10);
        expect(wordSimilarity(a, a)).toBe(1);
      }),
    );
  });
});

describe('matchQuote: reworded passages', () => {
  const original = BEFORE + PASSAGE + AFTER;
  const s = anchor(original, PASSAGE);

  it('re-anchors a passage reworded with synonyms between its verbatim context, shown as it reads now', () => {
    const now = 'The working group suggested to reinforce the meeting calendar before the coming session of the forum.';
    const revised = original.replace(PASSAGE, now);
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(now);
  });

  it('re-anchors a passage with a clause inserted inside it', () => {
    const now = PASSAGE.replace('the meeting calendar', 'the meeting calendar, as agreed at the previous meeting,');
    const revised = original.replace(PASSAGE, now);
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(now);
  });

  it('re-anchors a sentence split in two', () => {
    const now = 'The working group proposed to strengthen the meeting calendar. It did so before the next session of the forum.';
    const revised = original.replace(PASSAGE, now);
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(now);
  });

  it('leaves an orphan where the passage was replaced by other words between the same context', () => {
    const revised = original.replace(PASSAGE, 'Delegates then heard a report on finances and thanked the host for the venue.');
    expect(matchQuote(revised, s.quote, s.position)).toBeNull();
  });

  it('leaves an orphan where the passage was deleted, even with a reworded look-alike far away between other words', () => {
    const filler = 'Another paragraph about unrelated matters of procedure and budget. '.repeat(200);
    const revised = BEFORE.trimEnd() + AFTER + '\n' + filler + '\nA delegate said the working group proposed to reinforce the meeting calendar before the coming session of the forum, later.';
    expect(matchQuote(revised, s.quote, s.position)).toBeNull();
  });

  it('reworded only when the context on both sides is verbatim: one side changed as well is an orphan', () => {
    const now = 'The working group suggested to reinforce the meeting calendar before the coming session of the forum.';
    const revised = original.replace(PASSAGE, now).replace('closed at noon', 'ended at one');
    expect(matchQuote(revised, s.quote, s.position)).toBeNull();
  });
});

describe('matchQuote: a block moved whole', () => {
  it('finds a list item whose neighbours changed on both sides by the item itself', () => {
    const items = ['Adopt the agenda of the meeting', 'Review the outreach strategy for the coming year and its budget', 'Any other business', 'Close'];
    const text = 'Agenda\n' + items.join('\n') + '\nEnd of agenda';
    const s = anchor(text, 'the outreach strategy for the coming year');
    const reordered = 'Agenda\n' + [items[2], items[0], items[3], items[1]].join('\n') + '\nEnd of agenda';
    expect(found(reordered, matchQuote(reordered, s.quote, s.position))).toBe('the outreach strategy for the coming year');
  });

  it('does not take a copy of the block when the passage is still in its place, edited', () => {
    const text = 'Summary\n4 - Next steps and future agenda items for the group\n5 - Other business\nAnnex\n4 - Next steps and future agenda items for the group\nEnd';
    const s = describeText(text, text.indexOf('4 - Next'), text.indexOf('4 - Next') + '4 - Next steps and future agenda items for the group'.length);
    const revised = text.replace('4 - Next steps and future agenda items for the group\n5 - Other', '4 - Next steps and revised agenda items for the group\n5 - Any other');
    const m = matchQuote(revised, s.quote, s.position);
    expect(m === null || m.start < revised.indexOf('Annex')).toBe(true);
  });
});

describe('matchQuote: preparing a freshly revised page', () => {
  const para = (k: number) => `Paragraph ${k} of the draft says something of its own about item ${k * 7} and its follow-up.`;
  // 1,200 paragraphs, about 110,000 characters: a page large enough to be matched in regions.
  const text = Array.from({ length: 1200 }, (_, k) => para(k)).join('\n');

  it('a passage verbatim in its context, shifted, needs no preparation of the page', () => {
    const s = anchor(text, 'something of its own about item 700');
    const revised = 'A new first paragraph, added in the revision.\n' + text;
    forgetPreparedText();
    const m = matchQuote(revised, s.quote, s.position);
    expect(found(revised, m)).toBe('something of its own about item 700');
    expect(isPrepared(revised)).toBe(false);
  });

  it('an edited passage prepares the page, and gets the same answer with and without the index', () => {
    const passages = Array.from({ length: INDEX_AFTER + 3 }, (_, k) => anchor(text, `something of its own about item ${(k + 5) * 7} and`));
    const revised = passages.reduce((t, s) => t.replace(s.quote.exact, s.quote.exact.replace('its own', 'its very own')), text);
    forgetPreparedText();
    const answers = passages.map((s) => found(revised, matchQuote(revised, s.quote, s.position)));
    expect(isPrepared(revised)).toBe(true);
    expect(answers.every((a, k) => a === passages[k].quote.exact.replace('its own', 'its very own'))).toBe(true);
    // Again, with the index built from the start: the same places.
    const again = passages.map((s) => found(revised, matchQuote(revised, s.quote, s.position)));
    expect(again).toEqual(answers);
  });

  /** The answer once the whole page is normalised: after the first comments, which use regions. */
  const onWholePage = (revised: string, s: ReturnType<typeof anchor>) => {
    forgetPreparedText();
    for (let k = 0; k < REGIONS_FOR; k++) matchQuote(revised, s.quote, s.position);
    const m = matchQuote(revised, s.quote, s.position);
    expect(isPrepared(revised)).toBe(true);
    return m;
  };
  // Paragraph 100 of the draft, its context the paragraphs' stock words ("and": item 7000 is another).
  const passage = 'says something of its own about item 700 and';

  it('an edited passage on a large page is first matched in regions of it, with the answer of the whole page', () => {
    const s = anchor(text, passage);
    const revised = text.replace(passage, passage.replace('its own', 'its very own'));
    forgetPreparedText();
    const m = matchQuote(revised, s.quote, s.position);
    expect(found(revised, m)).toBe(passage.replace('its own', 'its very own'));
    expect(isPrepared(revised)).toBe(false);
    expect(onWholePage(revised, s)).toEqual(m);
  });

  it('so is a passage reworded, a clause longer, far from where it was', () => {
    const s = anchor(text, passage);
    const longer = passage.replace('something', 'something, as agreed,');
    const revised = 'x'.repeat(6000) + '\n' + text.replace(passage, longer);
    forgetPreparedText();
    const m = matchQuote(revised, s.quote, s.position);
    expect(found(revised, m)).toBe(longer);
    expect(isPrepared(revised)).toBe(false);
    expect(onWholePage(revised, s)).toEqual(m);
  });

  // The traps of a partial page: the passage's paragraph and those around it retyped (and moved),
  // so that no raw find of quote or context shows it, and a look-alike the regions do show.
  const retyped = (space: string) => {
    const block = Array.from({ length: 16 }, (_, k) => para(95 + k)).join('\n');
    return 'x'.repeat(6000) + '\n' + text.replace(block, block.replace(/ /g, space));
  };
  // A copy of the passage's paragraph and the start of the next, with another item number: the
  // same context, verbatim, around a quote one character off.
  const sibling = `${para(100)}\n${para(101).slice(0, 20)}`.replace('item 700', 'item 709');
  const after = (page: string, k: number, copy: string) => page.replace(para(k), `${para(k)}\n${copy}`);
  const matchedAlone = (revised: string) => {
    const s = anchor(text, passage);
    forgetPreparedText();
    const m = matchQuote(revised, s.quote, s.position);
    expect(m).toEqual(onWholePage(revised, s));
    return found(revised, m)?.replace(/\s+/g, ' ') ?? null;
  };

  it('a passage retyped and moved beyond the regions is found on the whole page', () => {
    expect(matchedAlone(retyped('\u00a0 '))).toBe(passage);
  });

  it('so is one retyped with soft hyphens or zero-width spaces', () => {
    const block = Array.from({ length: 16 }, (_, k) => para(95 + k)).join('\n');
    for (const hidden of [block.replace(/(\w\w\w)(\w\w)/g, '$1\u00ad$2'), block.replace(/ /g, ' \u200b')]) {
      const revised = after('x'.repeat(6000) + '\n' + text.replace(block, hidden), 60, sibling);
      expect(matchedAlone(revised)?.replace(/[\u00ad\u200b]/g, '')).toBe(passage);
    }
  });

  it('does not take a look-alike in the same context, far, nearer or near, while the passage is retyped elsewhere', () => {
    for (const k of [350, 60, 30]) expect(matchedAlone(after(retyped('  '), k, sibling))).toBe(passage);
  });

  it('nor a copy of the passage verbatim in its context that the regions show, while the passage is retyped', () => {
    const copy = `${para(100)}\n${para(101).slice(0, 20)}`.replace('draft says', 'draft  says');
    expect(matchedAlone(after(retyped('  '), 350, copy))).not.toBe(passage.replace('700', '709'));
    const block = Array.from({ length: 16 }, (_, k) => para(95 + k)).join('\n');
    const spaced = after(text.replace(block, ' '.repeat(3000) + block.replace(/ /g, '\u00a0')), 350, copy);
    expect(matchedAlone(spaced)).toBe(passage);
  });

  it('nor a look-alike, far or nearer, when the passage was retyped and edited too', () => {
    // Then the quote is nowhere in any typography; the passage's context is, retyped.
    const block = Array.from({ length: 16 }, (_, k) => para(95 + k)).join('\n');
    const edited = block.replace('its own about item 700', 'its 0wn about item 700').replace(/ /g, '  ');
    for (const k of [350, 60]) {
      const revised = after('x'.repeat(6000) + '\n' + text.replace(block, edited), k, sibling);
      expect(matchedAlone(revised)).not.toBe(passage.replace('700', '709'));
    }
  });

  it('nor the next paragraph near the recorded position, in other context, when the passage was retyped and edited', () => {
    const block = Array.from({ length: 16 }, (_, k) => para(95 + k)).join('\n');
    const edited = block.replace('its own about item 700', 'its 0wn about item 700').replace(/ /g, '  ');
    // The recorded position now falls on paragraph 30: "… about item 210", three characters off.
    expect(matchedAlone('x'.repeat(6000) + '\n' + text.replace(block, edited))).toBe(passage.replace('own', '0wn'));
  });

  it('counts distances in regions as on the whole page: a rewording far away needs more of its words', () => {
    // The passage deleted; 90,000 characters away, its paragraph with the quote reworded: words kept
    // 0.649 of the way, enough within reach of the recorded position (0.5), not beyond (0.65).
    const reworded = `${para(100).replace(passage, 'says something new about all the items 700 and')}\n${para(101).slice(0, 20)}`;
    const revised = after(text.replace(`${para(100)}\n`, ''), 1100, reworded);
    expect(matchedAlone(revised)).toBeNull();
  });

  it('a quote holding U+0000 is matched on the whole page', () => {
    const withNul = text.replace(passage, 'something of its\u0000own about item 700');
    const s = anchor(withNul, 'something of its\u0000own about item 700');
    const revised = withNul.replace('item 700', 'item 7000');
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe('something of its\u0000own about item 7000');
    expect(isPrepared(revised)).toBe(true);
  });

  it('finds the same place whether or not the page was prepared before (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 399 }), fc.integer({ min: 0, max: 3000 }), (k, shift) => {
        const passage = para(k).slice(10, 60);
        const s = anchor(text, passage);
        const revised = 'x'.repeat(shift) + '\n' + text.replace(passage, passage.replace('of the draft', 'of this draft'));
        forgetPreparedText();
        const cold = matchQuote(revised, s.quote, s.position);
        const warm = matchQuote(revised, s.quote, s.position);
        expect(warm).toEqual(cold);
      }),
      { numRuns: 30 },
    );
  });
});
