/**
 * The parts of the DOCX summary that grow with the review (the thread tables, the unresolved list,
 * the draft's outline), written as WordprocessingML directly. The docx package writes everything
 * else; through its object model these parts cost about 0.7 ms a thread (3.7 s for 5,000 threads,
 * measured with bench:export), written here a few microseconds.
 * The writer uses a handful of elements in the order the schema (ECMA-376 part 1, §17.4) asks
 * for: w:tbl, w:tr, w:tc, w:p, w:r, w:t, w:br, with bold, italics, colour and indentation. Every text is
 * escaped and stripped of characters XML cannot hold. Read back by mammoth in the unit tests and
 * converted by LibreOffice in `npm run check:export`.
 */
import { commentMarks, decidedBy, DISPOSITION_TEXT, fateText, historyLines, oneNewline } from './labels';
import type { CommentView, ThreadView } from './resolution';

/** Characters XML 1.0 cannot hold: a comment containing one would make the file unreadable. */
export const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Twentieths of a point across the text width of an A4 page with 2 cm margins (9,638 twips). */
const COLUMNS = [600, 2500, 3900, 2638];
const WIDTH = COLUMNS.reduce((a, b) => a + b, 0);

const escapeXml = (s: string) => s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A text element; spaces at either end are kept only when the element says so. */
const textElement = (text: string) => (/^\s|\s$/.test(text) ? `<w:t xml:space="preserve">${escapeXml(text)}</w:t>` : `<w:t>${escapeXml(text)}</w:t>`);

interface Style {
  bold?: boolean;
  italics?: boolean;
  color?: string;
}

/** Runs for a text, its line breaks kept; a leading "\n" starts it on a new line. */
function runs(text: string, style: Style = {}): string {
  const props = `${style.bold ? '<w:b/>' : ''}${style.italics ? '<w:i/>' : ''}${style.color ? `<w:color w:val="${style.color}"/>` : ''}`;
  const rPr = props ? `<w:rPr>${props}</w:rPr>` : '';
  return oneNewline(text)
    .split('\n')
    .map((line, i) => (i === 0 && !line ? '' : `<w:r>${rPr}${i > 0 ? '<w:br/>' : ''}${textElement(line)}</w:r>`))
    .join('');
}

const paragraph = (content: string, after = 0) => `<w:p>${after ? `<w:pPr><w:spacing w:after="${after}"/></w:pPr>` : ''}${content}</w:p>`;
/** Widths come from the table's grid (fixed layout): no properties repeated in every cell. */
const cell = (paragraphs: string) => `<w:tc>${paragraphs || paragraph('')}</w:tc>`;

function comment(c: CommentView): string {
  const text = c.withheld ? runs('\nwithheld (written after the author was removed)', { italics: true }) : c.deleted ? runs('\ndeleted by its author', { italics: true }) : runs(`\n${c.body}`);
  const proposal = c.proposal ? runs('\nProposed change: ', { italics: true }) + runs(c.proposal) : '';
  return paragraph(`${runs(c.authorName, { bold: true })}${runs(` (${commentMarks(c)})`, { color: '555555' })}${text}${proposal}`, 120);
}

function decision(t: ThreadView): string {
  let out = '';
  if (t.status === 'resolved') {
    out += runs(DISPOSITION_TEXT[t.disposition!], { bold: true });
    const by = decidedBy(t);
    if (by) out += runs(`\n${by}`, { color: '555555' });
    if (t.response) out += runs(`\n${t.response}`);
  } else out += runs('No decision yet', { bold: true });
  if (t.fate) {
    out += runs('\nIn the latest revision: ', { bold: true }) + runs(fateText(t.fate));
    if (t.fate.kind === 'reworded') out += runs(`\n${t.fate.now}`, { italics: true });
  }
  const history = historyLines(t);
  if (history.length) out += runs('\nHistory:', { bold: true }) + runs(history.map((line) => `\n${line}`).join(''), { color: '555555' });
  return paragraph(out);
}

function row(t: ThreadView): string {
  return `<w:tr>${cell(paragraph(runs(String(t.number))))}${cell(paragraph(runs(t.quote, { italics: true })))}${cell(t.comments.map(comment).join(''))}${cell(decision(t))}</w:tr>`;
}

const BORDER = 'w:val="single" w:sz="4" w:space="0" w:color="999999"';

export function threadTableXml(threads: ThreadView[]): string {
  const header = `<w:tr><w:trPr><w:tblHeader/></w:trPr>${['#', 'Passage', 'Comments', 'Decision and response'].map((h) => cell(paragraph(runs(h, { bold: true })))).join('')}</w:tr>`;
  const borders = `<w:tblBorders><w:top ${BORDER}/><w:left ${BORDER}/><w:bottom ${BORDER}/><w:right ${BORDER}/><w:insideH ${BORDER}/><w:insideV ${BORDER}/></w:tblBorders>`;
  const props = `<w:tblPr><w:tblW w:w="${WIDTH}" w:type="dxa"/>${borders}<w:tblLayout w:type="fixed"/></w:tblPr>`;
  const grid = `<w:tblGrid>${COLUMNS.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  return `<w:tbl>${props}${grid}${header}${threads.map(row).join('')}</w:tbl>`;
}

/** Plain paragraphs, one per line, each indented by `level` steps of 0.5 cm (lists without numbering definitions). */
export function linesXml(lines: { text: string; level?: number }[]): string {
  return lines
    .map(({ text, level = 0 }) => `<w:p>${level ? `<w:pPr><w:ind w:left="${284 * level}"/></w:pPr>` : ''}${runs(text)}</w:p>`)
    .join('');
}
