/**
 * Short lines (list items, table cells) whose context is other lines (issue 16): the line evidence
 * of lib/anchoring/lines.ts. Each case failed (orphan or wrong place) before it.
 */
import { describe, expect, it } from 'vitest';
import { describeText, matchQuote } from '../../lib/anchoring';
import { missingNeighbour, pageLines, recordedLines } from '../../lib/anchoring/lines';

const PROSE = 'The working group met on 15 August and reviewed the proposals received during the consultation period, with a view to a decision at the next meeting of the full group.';
const AGENDA = ['Agenda', '1 - Intro/Logistics/Admin', '2 - Continue to progress the following proposals:', '3 - Roadmap for the coming year', '4 - Next steps/future agenda items', '5 - AOB', 'Annex II - List of participants', 'Chair: Lynn St.Amour', 'Members of the group:', 'Cassa, Concettina', 'Croll, Jutta'];
const doc = (lines: string[]) => [PROSE, ...lines, PROSE.replace('15 August', '28 August')].join('\n');
const swapped = (lines: string[], i: number) => lines.map((l, k) => (k === i ? lines[i + 1] : k === i + 1 ? lines[i] : l));

/** Where `passage` (the nth copy) is anchored in `revised` after being described in `text`. */
function reanchor(text: string, passage: string, revised: string) {
  const at = text.indexOf(passage);
  const s = describeText(text, at, at + passage.length);
  const m = matchQuote(revised, s.quote, s.position);
  return m && { text: revised.slice(m.start, m.end), start: m.start };
}

describe('matchQuote: short lines', () => {
  it('a list item swapped with the next one is found at its new place', () => {
    const revised = doc(swapped(AGENDA, 4));
    expect(reanchor(doc(AGENDA), 'Next steps/future agenda items', revised)).toEqual({ text: 'Next steps/future agenda items', start: revised.indexOf('Next steps') });
  });

  it('a list item swapped with the previous one is found at its new place', () => {
    const revised = doc(swapped(AGENDA, 3));
    expect(reanchor(doc(AGENDA), 'Next steps/future agenda items', revised)?.start).toBe(revised.indexOf('Next steps'));
  });

  it('a list item with a new line put above it is found, without that line', () => {
    const lines = ['Status', 'Deferred', 'Awaiting admission by the chair', 'Withdrawn', 'Noted'];
    const revised = doc([...lines.slice(0, 2), 'Not retained', ...lines.slice(2)]);
    expect(reanchor(doc(lines), 'Awaiting admission by the chair', revised)).toEqual({ text: 'Awaiting admission by the chair', start: revised.indexOf('Awaiting') });
  });

  it('a swapped line is not confused with the neighbour that starts with the same words', () => {
    const lines = ['Now:', 'History ($1 change)', 'History ($1 changes)', 'reopened it'];
    const revised = doc(swapped(lines, 1));
    expect(reanchor(doc(lines), 'History ($1 change', revised)?.start).toBe(revised.indexOf('History ($1 change)'));
  });

  it('a cell edited together with the next cell is found in its line', () => {
    const lines = [...AGENDA];
    lines[1] = '1 - Intro/revised/Admin';
    lines[2] = '2 - Continue to progress the proposals:';
    const revised = doc(lines);
    expect(reanchor(doc(AGENDA), 'Intro/Logistics/Admin', revised)).toEqual({ text: 'Intro/revised/Admin', start: revised.indexOf('Intro/revised') });
  });

  it('a deleted list item is an orphan, not its neighbour now in its place', () => {
    const revised = doc(AGENDA.filter((l) => l !== 'Cassa, Concettina'));
    expect(reanchor(doc(AGENDA), 'Cassa, Concettina', revised)).toBeNull();
  });
});

describe('lines: a recorded neighbour line missing', () => {
  it('is seen when the page has the line recorded beyond it instead', () => {
    const rec = recordedLines('a view to broader engagement.\n2\n', 'Representatives of the technical community will', ' coordinate a multi-year strateg')!;
    const text = 'with a view to broader engagement.\nRepresentatives of the technical community will circulate a multi-year strategic work programme';
    const at = text.indexOf('Representatives');
    expect(missingNeighbour(rec, pageLines(text, at, at + 47, 3))).toBe(true);
    const kept = 'with a view to broader engagement.\n3\nRepresentatives of the technical community will coordinate a multi-year strategic work programme';
    const k = kept.indexOf('Representatives');
    expect(missingNeighbour(rec, pageLines(kept, k, k + 47, 3))).toBe(false);
  });
});

describe('pageLines: long lines', () => {
  it('folds a line longer than 1,024 characters as its two ends, which still meet a recorded line at either end', () => {
    const long = 'Opening words of a long line ' + 'filler text '.repeat(400) + 'closing words of the long line';
    const text = `Short line above\n${long}\nShort line below`;
    const at = text.indexOf('filler text filler', 2000);
    const lines = pageLines(text, at, at + 11, 1);
    // Each part folded is at most 1,024 characters, so a page of one 2 MB line costs little per candidate.
    for (const part of [lines.lead, lines.tail, lines.line]) expect(part.length).toBeLessThanOrEqual(1025);
    expect(lines.line.startsWith('opening words of a long line')).toBe(true);
    expect(lines.line.endsWith('closing words of the long line')).toBe(true);
    expect(lines.lead.startsWith('opening words')).toBe(true);
    expect(lines.tail.endsWith('closing words of the long line')).toBe(true);
    expect(lines.before).toEqual(['short line above']);
    expect(lines.after).toEqual(['short line below']);
    // A short line is folded whole, as before.
    expect(pageLines(text, 6, 10, 1).line).toBe('short line above');
  });
});
