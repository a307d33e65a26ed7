/**
 * Issue 16: reworded passages, blocks moved whole, and a freshly revised page prepared only as far
 * as its comments need.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';
import { forgetPreparedText, INDEX_AFTER, isPrepared, wordSimilarity, words } from '../../lib/anchoring/match';
import { draftText } from '../../bench/support';

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

describe('matchQuote: a page that repeats itself', () => {
  it('takes no rewording between a prefix and a suffix found more than 8 times after it', () => {
    // Before, every place of the suffix after each of the 64 places of the prefix was aligned and
    // compared word by word (6 s for this 50 KB page), and a rewording was taken from them.
    const page = ('Marker ' + 'y '.repeat(390)).repeat(64);
    const exact = 'y w '.repeat(100).trim();
    const m = matchQuote(page, { type: 'TextQuoteSelector', prefix: 'Marker y y y y y', exact, suffix: ' y y y y y y y y' }, { type: 'TextPositionSelector', start: 10000, end: 10000 + exact.length });
    expect(m).toBeNull();
  });
});

describe('matchQuote: a long quote between a prefix and suffix the draft repeats', () => {
  // 200 blocks, each the same heading phrase, a 3,000-character paragraph of its own and the same
  // closing phrase: every place of the prefix is followed by the suffix at the quote's length, so
  // each of them is a stretch to align and compare word by word (millions of cells each).
  const VOCABULARY = 'forum programme intersessional stakeholders review session mandate of the and strengthen calendar dialogue national regional outcomes capacity members secretariat funding workshop fellows youth parliamentary track policy network best practice dynamic coalition host country'.split(' ');
  const paragraph = (k: number, reworded = false) => {
    let seed = k * 7919 + 17;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const out: string[] = [];
    for (let n = 0; out.join(' ').length < 3000; n++) {
      const word = VOCABULARY[Math.floor(next() * VOCABULARY.length)];
      out.push(reworded && n % 5 === 0 ? `alternative${word}` : word);
    }
    return out.join(' ').slice(0, 3000).trimEnd();
  };
  const block = (k: number, reworded = false) => `Heading of a section the consolidated draft repeats: ${paragraph(k, reworded)} as the group agreed at its last meeting.`;
  const draft = Array.from({ length: 200 }, (_, k) => block(k)).join('\n');
  const s = anchor(draft, paragraph(100));

  it('still re-anchors the passage reworded in place, compared first of all the stretches', () => {
    const revised = draft.replace(block(100), block(100, true));
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(paragraph(100, true));
  });

  it('compares only the stretches nearest the recorded position: one reworded three blocks away is not found', () => {
    // Comparing every stretch found it, at the cost of seconds for a hostile quote of 10,000 characters.
    const blocks = Array.from({ length: 200 }, (_, k) => block(k));
    blocks.splice(100, 1);
    blocks.splice(103, 0, block(100, true));
    const revised = blocks.join('\n');
    forgetPreparedText();
    expect(matchQuote(revised, s.quote, s.position)).toBeNull();
  });
});

describe('matchQuote: the work one comment may cost', () => {
  const v1 = draftText('programme-framework-v1.html');
  const large = draftText('programme-framework-large.html');
  /** A passage of about `length` characters from word to word, and the page with one word of it mistyped. */
  const typo = (text: string, from: number, length: number) => {
    const start = text.indexOf(' ', from) + 1;
    const end = text.lastIndexOf(' ', start + length);
    const at = text.indexOf(' the ', start + 100);
    return { s: describeText(text, start, end), start, end, revised: text.slice(0, at) + ' teh ' + text.slice(at + 5) };
  };

  it('a long passage with a typo, whose suffix recurs inside it: the whole passage, not the shortest stretch', () => {
    const { s, start, end, revised } = typo(v1, 2000, 6000);
    forgetPreparedText();
    expect(matchQuote(revised, s.quote, s.position)).toMatchObject({ start, end });
  });

  it('quotes of 8,000 and 10,000 characters with a typo are found, however much one stretch costs', () => {
    for (const [text, from, length] of [[v1, 2000, 8000], [v1, 2000, 10000], [large, 50000, 8000]] as const) {
      const { s, start, end, revised } = typo(text, from, length);
      forgetPreparedText();
      expect(matchQuote(revised, s.quote, s.position)).toMatchObject({ start, end });
    }
  });

  it('a search cut short still finds the passage shifted by what a revision added above it', () => {
    // The draft's 32-character contexts recur: dozens of stretches, more than the work allows.
    const { s, start, end, revised } = typo(large, 264, 2507);
    const above = 'A paragraph the revision added. '.repeat(96) + '\n';
    forgetPreparedText();
    expect(matchQuote(above + revised, s.quote, s.position)).toMatchObject({ start: start + above.length, end: end + above.length });
  });

  it('a quote longer than the limit once its ellipses are spelt out is placed only verbatim', () => {
    const page = large.slice(0, 200_000);
    const exact = 'Lead words of the quote\u2026' + '\u2026'.repeat(4000) + ' tail words of the quote';
    const text = page + '\n' + exact + ' and the rest of the page.';
    const s = describeText(text, page.length + 1, page.length + 1 + exact.length);
    // Moved, its context new: found verbatim.
    const moved = 'New opening.\n' + exact + '\n' + page;
    expect(found(moved, matchQuote(moved, s.quote, s.position))).toBe(exact);
    // Edited: no alignment of 12,000 characters in a band of 1,500; an orphan.
    const edited = page + '\n' + exact.replace('Lead words', 'Lead word') + ' and the rest of the page.';
    forgetPreparedText();
    expect(matchQuote(edited, s.quote, s.position)).toBeNull();
  });
});

describe('matchQuote: preparing a freshly revised page', () => {
  const para = (k: number) => `Paragraph ${k} of the draft says something of its own about item ${k * 7} and its follow-up.`;
  const text = Array.from({ length: 400 }, (_, k) => para(k)).join('\n');

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

  it('a prepared page finds a passage verbatim in its context where an unprepared one does, with copies of it in any typography (property)', () => {
    // Copies of the passage with its context: verbatim, or differing only in typography (which
    // the normalised search cannot tell apart), near the passage or far, more than 8 of them or
    // fewer; a page that holds an İ (which lower-cases to two characters); a passage with a
    // character outside the BMP. Cold, the raw page is searched; warm, with or without the index,
    // the normalised one first.
    const variants = [(s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.replace(/ /g, '\u00a0'), (s: string) => s.replace('of', 'o\u00adf'), (s: string) => s.replace(/'/g, '\u2019'), (s: string) => s.replace('\u{10400}', '\u{10428}')];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 398 }),
        fc.array(fc.record({ variant: fc.integer({ min: 0, max: variants.length - 1 }), at: fc.integer({ min: 0, max: 399 }) }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.record({ indexed: fc.boolean(), dotted: fc.boolean(), astral: fc.boolean() }),
        (k, copies, shift, { indexed, dotted, astral }) => {
          const own = astral ? "its \u{10400}roup's own" : "its group's own";
          const lines = Array.from({ length: 400 }, (_, j) => para(j).replace('its own', j === k ? own : 'its own'));
          const s = anchor(lines.join('\n'), para(k).replace('its own', own).slice(12, 70));
          const context = s.quote.prefix + s.quote.exact + s.quote.suffix;
          for (const c of copies) lines[c.at] = variants[c.variant](context);
          const revised = (dotted ? 'İ' : '') + 'x'.repeat(shift) + '\n' + lines.join('\n');
          forgetPreparedText();
          const cold = matchQuote(revised, s.quote, s.position);
          forgetPreparedText();
          // Prepare the page (and build its index) with other passages first.
          for (let j = 0; j < (indexed ? INDEX_AFTER + 1 : 1); j++) matchQuote(revised, { type: 'TextQuoteSelector', exact: 'no such passage anywhere', prefix: 'none', suffix: 'none' });
          expect(isPrepared(revised)).toBe(true);
          expect(matchQuote(revised, s.quote, s.position)).toEqual(cold);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prepared or not: the verbatim copy among more than 8 typographic ones; a context cut inside a surrogate pair', () => {
    const quote = (prefix: string, exact: string, suffix: string) => ({ type: 'TextQuoteSelector' as const, prefix, exact, suffix });
    const cases = [
      { text: "abcdefghd’ohijklmnop ".repeat(8) + "abcdefghd'ohijklmnop", quote: quote('abcdefgh', "d'oh", 'ijklmnop'), want: 176 },
      { text: "abcdefghd'ohijklmnop " + "abcdefghd’ohijklmnop ".repeat(8), quote: quote('abcdefgh', "d'oh", 'ijklmnop'), position: 200, want: 8 },
      { text: '\u{10400}abcdefgWXYZijklmnop', quote: quote('\udc00abcdefg', 'WXYZ', 'ijklmnop'), want: 9 },
      { text: 'İ abcdefgh\u{10400}xyzijklmnop', quote: quote('abcdefgh', '\u{10400}xyz', 'ijklmnop'), want: 10 },
    ];
    for (const c of cases) {
      const position = c.position === undefined ? undefined : { type: 'TextPositionSelector' as const, start: c.position, end: c.position + c.quote.exact.length };
      forgetPreparedText();
      const cold = matchQuote(c.text, c.quote, position);
      expect(cold?.start).toBe(c.want);
      matchQuote(c.text, quote('none', 'no such passage anywhere', 'none'));
      expect(isPrepared(c.text)).toBe(true);
      expect(matchQuote(c.text, c.quote, position)).toEqual(cold);
    }
  });

  it('a context cut through an emoji keeps its half as evidence where it is compared verbatim', () => {
    // The half of 🔴 at the start of the 32-unit prefix is all that tells the two rows apart.
    const row = ' Deploy: blocked until we have the review of the schema migration and the rollback plan.';
    const text = `Release checklist\n\u{1F7E2}${row}\n\u{1F534}${row}`;
    const at = text.lastIndexOf('the review of the schema');
    const s = describeText(text, at, at + 'the review of the schema'.length);
    expect(/^[\udc00-\udfff]/.test(s.quote.prefix!)).toBe(true);
    // A row as long as the others added above them (the 🟢 row now where the 🔴 row was), and
    // filler that takes both rows beyond NEAR of the recorded position.
    const added = `\u{26AA}${row.replace('Deploy', 'Freeze')}`;
    const far = 'x'.repeat(3 * 2048);
    for (const revised of [text.replace('checklist\n', `checklist\n${added}\n`), `${far}\n${text}`]) {
      const m = matchQuote(revised, s.quote, s.position);
      expect(m?.start).toBe(revised.lastIndexOf('the review of the schema'));
    }
  });

  it('of several verbatim copies, takes the one whose quote is nearest the recorded position', () => {
    const prefix = 'The group agreed on the following points after a long discussion:';
    const context = prefix.slice(-64) + 'QUOTE' + ' and more.';
    const text = context + ' '.repeat(117 - context.length) + context;
    expect(text.indexOf('QUOTE', 70)).toBe(181);
    const m = matchQuote(text, { type: 'TextQuoteSelector', prefix: prefix.slice(-64), exact: 'QUOTE', suffix: ' and more.' }, { type: 'TextPositionSelector', start: 94, end: 99 });
    expect(m?.start).toBe(64);
  });
});
