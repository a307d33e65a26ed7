/**
 * The summary as a Word document (the `docx` package: it writes valid OOXML that Word and
 * LibreOffice open, which hand-made XML rarely does): title block, overview, one table of threads
 * per section in the draft's order, what remains unresolved, and the two annexes.
 */
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import { DISPOSITIONS } from '../review/events';
import { DISPOSITION_TEXT, fateText, ROLE_HEADINGS, utc } from './labels';
import { periodText, short } from './markdown';
import type { CommentView, Resolution, ThreadView } from './resolution';

/** Characters XML 1.0 cannot hold: a comment containing one would make the file unreadable. */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** A text as runs, its line breaks kept. */
function runs(text: string, style: { bold?: boolean; italics?: boolean; color?: string } = {}): TextRun[] {
  return text
    .replace(NOT_XML, '')
    .split('\n')
    .map((line, i) => new TextRun({ text: line, ...style, ...(i > 0 ? { break: 1 } : {}) }));
}

const para = (children: ParagraphChild[], extra: Record<string, unknown> = {}) => new Paragraph({ children, ...extra });
const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ heading: level, children: runs(text) });
const bullet = (children: ParagraphChild[], level = 0) => new Paragraph({ children, bullet: { level } });

function commentParagraphs(c: CommentView): Paragraph[] {
  const marks = [utc(c.at), c.editedAt !== undefined && !c.deleted ? `edited ${utc(c.editedAt)}` : '', c.late ? 'late' : ''].filter(Boolean).join(', ');
  const head = [...runs(c.authorName, { bold: true }), new TextRun({ text: ` (${marks})`, color: '555555' })];
  const text = c.withheld
    ? runs('withheld (written after the author was removed)', { italics: true })
    : c.deleted
      ? runs('deleted by its author', { italics: true })
      : runs(c.body);
  return [para(head), para(text, { spacing: { after: 120 } })];
}

function cell(children: Paragraph[], width: number): TableCell {
  return new TableCell({ children: children.length ? children : [para([])], width: { size: width, type: WidthType.PERCENTAGE } });
}

const WIDTHS = [6, 26, 40, 28];

function threadRow(t: ThreadView): TableRow {
  const decision: Paragraph[] = [];
  if (t.status === 'resolved') {
    decision.push(para(runs(DISPOSITION_TEXT[t.disposition!], { bold: true })));
    const by = [t.decidedBy ? `by ${t.decidedBy}` : '', t.decidedAt !== undefined ? utc(t.decidedAt) : ''].filter(Boolean).join(', ');
    if (by) decision.push(para(runs(by, { color: '555555' })));
    if (t.response) decision.push(para(runs(t.response)));
  } else decision.push(para(runs('Open: no decision yet', { bold: true })));
  if (t.fate) {
    decision.push(para([...runs('In the latest revision: ', { bold: true }), ...runs(fateText(t.fate))]));
    if (t.fate.kind === 'reworded') decision.push(para(runs(t.fate.now, { italics: true })));
  }
  return new TableRow({
    cantSplit: false,
    children: [
      cell([para(runs(String(t.number)))], WIDTHS[0]),
      cell([para(runs(t.quote, { italics: true }))], WIDTHS[1]),
      cell(t.comments.flatMap(commentParagraphs), WIDTHS[2]),
      cell(decision, WIDTHS[3]),
    ],
  });
}

function threadTable(threads: ThreadView[]): Table {
  const header = new TableRow({
    tableHeader: true,
    children: ['#', 'Passage', 'Comments', 'Decision and response'].map((h, i) => cell([para(runs(h, { bold: true }))], WIDTHS[i])),
  });
  return new Table({ rows: [header, ...threads.map(threadRow)], width: { size: 100, type: WidthType.PERCENTAGE } });
}

function outlineLevel(level: number): number {
  return Math.min(8, Math.max(0, level - 1));
}

export function docxDocument(r: Resolution): Document {
  const o = r.overview;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(`Resolution of comments: ${r.title}`) }),
  ];
  const facts: [string, string][] = [
    ['Group', r.group],
    ['Draft', r.url],
    ['Revision reviewed', r.fingerprint],
    ['Latest revision', r.latestFingerprint],
    ['Review period', periodText(r)],
    ['Exported', utc(r.exportedAt)],
  ];
  for (const [k, v] of facts) if (v) children.push(para([...runs(`${k}: `, { bold: true }), ...runs(v)]));
  children.push(heading('Overview', HeadingLevel.HEADING_1));
  children.push(bullet(runs(`Threads: ${o.threads} (${o.resolved} resolved, ${o.open} open)`)));
  children.push(bullet(runs(`Comments: ${o.comments}, from ${o.participants} ${o.participants === 1 ? 'participant' : 'participants'}`)));
  const decided = DISPOSITIONS.filter((d) => o.byDisposition[d] > 0).map((d) => `${DISPOSITION_TEXT[d]} ${o.byDisposition[d]}`);
  children.push(bullet(runs(`Decisions: ${decided.length ? decided.join(', ') : 'none yet'}`)));
  for (const s of r.sections) {
    children.push(heading(s.title, HeadingLevel.HEADING_1));
    children.push(threadTable(s.threads));
  }
  children.push(heading('Unresolved', HeadingLevel.HEADING_1));
  if (r.unresolved.length) for (const t of r.unresolved) children.push(bullet(runs(`${t.number}. ${t.section || '—'}: “${short(t.quote)}”`)));
  else children.push(para(runs('Every thread has a decision.')));
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: runs('Annex I: Outline of the draft') }));
  if (r.outline.length) for (const h of r.outline) children.push(bullet(runs(h.title), outlineLevel(h.level)));
  else children.push(para(runs('The draft has no headings.')));
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: runs('Annex II: Participants') }));
  for (const role of ['chair', 'member', 'other'] as const) {
    const list = r.participants[role];
    if (!list.length) continue;
    children.push(heading(`${ROLE_HEADINGS[role]}:`, HeadingLevel.HEADING_2));
    for (const p of list) children.push(bullet(runs(`${p.name}${p.removed ? ' (removed)' : ''}: ${p.comments} ${p.comments === 1 ? 'comment' : 'comments'}`)));
  }
  return new Document({
    title: `Resolution of comments: ${r.title}`.replace(NOT_XML, ''),
    creator: 'Margins',
    styles: { default: { document: { run: { font: 'Liberation Serif', size: 22 } } } },
    sections: [{ properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children }],
  });
}

export async function toDocx(r: Resolution): Promise<Uint8Array> {
  return new Uint8Array(await Packer.toArrayBuffer(docxDocument(r)));
}
