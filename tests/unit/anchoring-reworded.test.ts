/**
 * Issue 16: reworded passages, blocks moved whole, and a freshly revised page prepared only as far
 * as its comments need.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';
import { IN_PLACE } from '../../lib/anchoring/in-place';
import { forgetPreparedText, INDEX_AFTER, isPrepared } from '../../lib/anchoring/prepared-page';
import { wordSimilarity, words } from '../../lib/anchoring/similarity';
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
    for (let n = 0, length = 0; length < 3000; n++) {
      const word = VOCABULARY[Math.floor(next() * VOCABULARY.length)];
      out.push(reworded && n % 5 === 0 ? `alternative${word}` : word);
      length += out[n].length + 1;
    }
    return out.join(' ').slice(0, 3000).trimEnd();
  };
  const block = (k: number, reworded = false) => `Heading of a section the consolidated draft repeats: ${paragraph(k, reworded)} as the group agreed at its last meeting.`;
  const draft = Array.from({ length: 200 }, (_, k) => block(k)).join('\n');
  const s = anchor(draft, paragraph(100));

  it('re-anchors a long passage reworded in place among stretches the draft repeats', () => {
    const revised = draft.replace(block(100), block(100, true));
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe(paragraph(100, true));
  });

  it('a search that would need more work than SEARCH_WORK leaves the comment an orphan, not a guess', () => {
    // Passages twice as long, twice as many blocks: each place of the prefix within reach is a
    // stretch of 6,000 characters to align, more than the budget allows together. Comparing them
    // all found the passage, at the cost of seconds for a hostile quote of 10,000 characters.
    const longBlock = (k: number, reworded = false) => block(k, reworded) + ' ' + paragraph(k + 1000, reworded);
    const passage = (k: number, reworded = false) => paragraph(k, reworded) + ' as the group agreed at its last meeting. ' + paragraph(k + 1000, reworded);
    const blocks = Array.from({ length: 400 }, (_, k) => longBlock(k));
    const original = blocks.join('\n');
    const sel = anchor(original, passage(200));
    blocks[200] = longBlock(200, true);
    forgetPreparedText();
    // Recorded farther away than step 2½ looks (near its place, the window holds few enough places
    // to compare them all, and the passage is found): the full search must weigh them all.
    expect(matchQuote(blocks.join('\n'), sel.quote, { ...sel.position, start: sel.position.start + 2 * IN_PLACE.at(-1)! })).toBeNull();
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

  it('quotes of 8,000 and 10,000 characters with a typo in place are found within the work bound', () => {
    for (const [text, from, length] of [[v1, 2000, 8000], [v1, 2000, 10000], [large, 50000, 8000]] as const) {
      const { s, start, end, revised } = typo(text, from, length);
      forgetPreparedText();
      expect(matchQuote(revised, s.quote, s.position)).toMatchObject({ start, end });
    }
  });

  it('a long passage whose contexts recur, with a typo and text added above it: found where it moved', () => {
    // The draft's 32-character contexts recur: dozens of stretches to compare.
    const { s, start, end, revised } = typo(large, 264, 2507);
    const above = 'A paragraph the revision added. '.repeat(96) + '\n';
    forgetPreparedText();
    expect(matchQuote(above + revised, s.quote, s.position)).toMatchObject({ start: start + above.length, end: end + above.length });
  });

  it('never takes a copy of a long passage, or a stretch around an earlier copy of its prefix, for the passage', () => {
    // Two cases a hostile review built against a search that compared only the places nearest
    // the recorded position and kept what it found there (6a2ac90): both anchored wrongly.
    const v2 = draftText('programme-framework-v2.html');
    {
      // 9,753 characters whose prefix recurs 13 times; a typo in it, and a paragraph added above.
      const s = describeText(v2, 16456, 26209);
      const typoAt = v2.indexOf('work programme', 16456) + 'work program'.length;
      const edited = v2.slice(0, typoAt) + v2.slice(typoAt + 2);
      const lineStart = v2.lastIndexOf('\n', 16456) + 1;
      const added = 'The Secretariat added this new paragraph to the revised draft for the consultation. '.repeat(75) + '\n';
      const revised = edited.slice(0, lineStart) + added + edited.slice(lineStart);
      forgetPreparedText();
      const m = matchQuote(revised, s.quote, s.position);
      if (m) expect(m).toMatchObject({ start: 16456 + added.length });
    }
    {
      // A section reused higher up, then the same word replaced everywhere: two equal places.
      const s = describeText(v1, 22871, 28784);
      const added = 'A new paragraph of the revision. '.repeat(28) + '\n';
      const revised = (v1.slice(0, 17319) + added + v1.slice(22391, 28844) + v1.slice(17319)).replaceAll('meeting', 'meetinx');
      forgetPreparedText();
      expect(matchQuote(revised, s.quote, s.position)).toBeNull();
    }
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

  it('a passage edited in place needs no preparation either, and gets the same answer on a prepared, indexed page', () => {
    const passages = Array.from({ length: INDEX_AFTER + 3 }, (_, k) => anchor(text, `something of its own about item ${(k + 5) * 7} and`));
    const revised = passages.reduce((t, s) => t.replace(s.quote.exact, s.quote.exact.replace('its own', 'its very own')), text);
    forgetPreparedText();
    const answers = passages.map((s) => found(revised, matchQuote(revised, s.quote, s.position)));
    expect(isPrepared(revised)).toBe(false);
    expect(answers.every((a, k) => a === passages[k].quote.exact.replace('its own', 'its very own'))).toBe(true);
    // Comments with no recorded position need the whole page: it is prepared, then indexed.
    for (const s of passages) matchQuote(revised, s.quote);
    expect(isPrepared(revised)).toBe(true);
    const again = passages.map((s) => found(revised, matchQuote(revised, s.quote, s.position)));
    expect(again).toEqual(answers);
  });

  it('an edited passage recorded too far from where it now is prepares the page', () => {
    const s = anchor(text, 'something of its own about item 700 and');
    const revised = 'A new first part.\n'.repeat(Math.ceil((2 * IN_PLACE.at(-1)!) / 18)) + text.replace('its own about item 700', 'its very own about item 700');
    forgetPreparedText();
    expect(found(revised, matchQuote(revised, s.quote, s.position))).toBe('something of its very own about item 700 and');
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
        matchQuote(revised, { type: 'TextQuoteSelector', exact: 'no such passage' }); // prepares the page
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
