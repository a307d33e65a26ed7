import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';

const DRAFTS = new URL('../../samples/', import.meta.url);
/** Plain text of a fixture, enough for text-level tests (the DOM extraction has its own tests). */
function draftText(name: string): string {
  return readFileSync(new URL(name, DRAFTS), 'utf8')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<\/?(p|li|h\d|tr|td|th|ol|ul|table|div|body)[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const V1 = draftText('programme-framework-v1.html');

function sel(text: string, passage: string, nth = 0) {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(passage, at + 1);
  if (at < 0) throw new Error(`passage not in text: ${passage}`);
  return describeText(text, at, at + passage.length);
}

function anchored(text: string, s: ReturnType<typeof sel>) {
  const m = matchQuote(text, s.quote, s.position);
  return m ? { text: text.slice(m.start, m.end), start: m.start, score: m.score } : null;
}

const PASSAGE = 'The IGF Secretariat reaffirmed its support for intersessional activities';
const SENTENCE = 'Best Practice Forums proposed to strengthen the meeting calendar in advance of IGF 2019.';

describe('matchQuote: the passage is still there', () => {
  it('unchanged: verbatim at its position, score 1', () => {
    const s = sel(V1, PASSAGE);
    expect(matchQuote(V1, s.quote, s.position)).toEqual({ start: s.position.start, end: s.position.end, score: 1 });
  });

  it('text inserted or deleted elsewhere: found at its shifted position', () => {
    const s = sel(V1, PASSAGE);
    const inserted = 'A new opening section.\n' + 'x'.repeat(3000) + '\n' + V1;
    expect(anchored(inserted, s)).toMatchObject({ text: PASSAGE, start: s.position.start + 3024 });
    const cut = V1.indexOf('\n', 100);
    const deleted = V1.slice(0, 50) + V1.slice(cut);
    expect(anchored(deleted, s)?.text).toBe(PASSAGE);
  });

  it('a typo or a word edit inside the passage: found, with a lower score', () => {
    const s = sel(V1, PASSAGE);
    const typo = V1.replace(PASSAGE, PASSAGE.replace('reaffirmed', 'reafirmed'));
    const edited = V1.replace(PASSAGE, PASSAGE.replace('its support for', 'its strong support for'));
    const a = anchored(typo, s)!;
    const b = anchored(edited, s)!;
    expect(a.text).toBe(PASSAGE.replace('reaffirmed', 'reafirmed'));
    expect(b.text).toBe(PASSAGE.replace('its support for', 'its strong support for'));
    expect(a.score).toBeLessThan(1);
    expect(a.score).toBeGreaterThan(b.score);
    expect(b.score).toBeGreaterThan(0.8);
  });

  it('moved far away, verbatim: found in its new place', () => {
    const para = V1.split('\n').find((l) => l.startsWith(SENTENCE.slice(0, 30)))!;
    const s = sel(V1, SENTENCE);
    const moved = V1.replace(para + '\n', '') + '\n' + para;
    const m = anchored(moved, s)!;
    expect(m.text).toBe(SENTENCE);
    expect(m.start).toBeGreaterThan(moved.length - para.length - 1);
  });

  it('an edited passage beats an unedited copy of the same words elsewhere', () => {
    const s = sel(V1, PASSAGE);
    const edited = PASSAGE.replace('reaffirmed', 'strongly reaffirmed');
    const revised = V1.replace(PASSAGE, edited) + '\nAnnex: ' + PASSAGE + ' (quoted from the 2017 report).';
    const m = anchored(revised, s)!;
    expect(m.text).toBe(edited);
    expect(m.start).toBe(revised.indexOf(edited));
  });

  it('typography changes do not count as edits', () => {
    const passage = 'the importance of the Option Paper on Methodologies';
    const s = sel(V1, passage);
    const typo = V1.replace("Methodologies. The Working Group", 'Methodologies.\u00a0\u00a0The   Working\nGroup')
      .replace('The MAG stressed the importance of the Option Paper', 'The MAG stressed the importance  of the \u201cOption\u00a0Paper\u201d')
      .replace('endorsed the criteria', 'endorsed the \u2018criteria\u2019');
    const m = anchored(typo, s)!;
    expect(m.text).toBe('the importance  of the \u201cOption\u00a0Paper\u201d on Methodologies');
    expect(m.score).toBeGreaterThan(0.9);
    const dashes = 'Stakeholders - from civil society';
    const t2 = 'Intro.\n' + dashes + ' said so.';
    const s2 = describeText(t2, 7, 7 + dashes.length);
    expect(anchored('Intro.\nStakeholders \u2013 from civil society said so.', s2)?.text).toBe('Stakeholders \u2013 from civil society');
  });

  it('a single word is told apart from its copies by its context', () => {
    const text = V1.replace('xxx', '');
    const s = sel(text, 'Roadmap', 5);
    const shifted = 'Preface paragraph.\n' + text;
    expect(anchored(shifted, s)?.start).toBe(s.position.start + 19);
    // Without the position the context alone still decides.
    const m = matchQuote(shifted, s.quote);
    expect(m?.start).toBe(s.position.start + 19);
  });
});

describe('matchQuote: the passage is gone', () => {
  it('a deleted passage is an orphan, even when similar sentences remain', () => {
    const s = sel(V1, SENTENCE);
    const para = V1.split('\n').find((l) => l.startsWith(SENTENCE.slice(0, 30)))!;
    const without = V1.replace(para + '\n', '');
    expect(anchored(without, s)).toBeNull();
    // A look-alike: same sentence shape, other object.
    const lookAlike = without + '\nBest Practice Forums proposed to strengthen the outreach strategy in advance of IGF 2019.';
    expect(anchored(lookAlike, s)).toBeNull();
  });

  it('a deleted short phrase is not re-attached to another copy of it', () => {
    const text = 'Alpha. The MAG noted the report of the Chair.\nBeta. Member States welcomed the report of the Chair.';
    const s = describeText(text, text.indexOf('report'), text.indexOf('report') + 6);
    const revised = 'Alpha. The MAG noted the minutes.\nBeta. Member States welcomed the report of the Chair.';
    expect(anchored(revised, s)).toBeNull();
  });

  it('returns null for an empty quote and for an empty text', () => {
    expect(matchQuote('abc', { type: 'TextQuoteSelector', exact: '' })).toBeNull();
    expect(matchQuote('', { type: 'TextQuoteSelector', exact: 'abc' })).toBeNull();
  });
});
