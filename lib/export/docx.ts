/**
 * The summary as a Word document: title block, overview, one table of threads per section in the
 * draft's order, what remains unresolved, and the two annexes. The `docx` package writes the
 * package and everything but the thread tables (styles, numbering, headings, lists: the parts
 * hand-made OOXML usually gets wrong); the tables, the part that grows with the review, come from
 * ooxml.ts and take the place of a marker paragraph docx wrote for each (fflate, docx's own
 * zip library, opens and closes the package).
 */
import { Document, HeadingLevel, Packer, Paragraph, TextRun, type ParagraphChild } from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { linesXml, NOT_XML, threadTableXml } from './ooxml';
import { ALL_DECIDED, NO_HEADINGS, oneNewline, outlineDepths, overviewRows, participantLine, ROLE_HEADINGS, titleFacts, unresolvedLine } from './labels';
import type { Resolution } from './resolution';

/** A text as runs, its line breaks kept (a leading "\n" starts it on a new line). */
function runs(text: string, style: { bold?: boolean; italics?: boolean; color?: string } = {}): TextRun[] {
  return oneNewline(text)
    .replace(NOT_XML, '')
    // A text that spells a marker (a section title, the draft's title) must not be taken for one.
    .replaceAll(MARKER_PREFIX, MARKER_LOOKALIKE)
    .split('\n')
    .flatMap((line, i) => (i === 0 && !line ? [] : [new TextRun({ text: line, ...style, ...(i > 0 ? { break: 1 } : {}) })]));
}

const para = (children: ParagraphChild[]) => new Paragraph({ children });
const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ heading: level, children: runs(text) });
const bullet = (children: ParagraphChild[], level = 0) => new Paragraph({ children, bullet: { level } });

/** Stands where fragment `i` of hand-written OOXML goes, until it is put in its place. */
const MARKER_PREFIX = 'MARGINS-OOXML-FRAGMENT-';
const MARKER_LOOKALIKE = 'MARGINS-OOXML-FRAGMENT\u2011'; // a non-breaking hyphen: reads the same, is no marker
const marker = (i: number) => `${MARKER_PREFIX}${i}-END`;

export function docxDocument(r: Resolution): { document: Document; fragments: string[] } {
  const fragments: string[] = [];
  /** A paragraph that the OOXML `xml` replaces once docx has written the package. */
  const slot = (xml: string) => {
    fragments.push(xml);
    return para([new TextRun(marker(fragments.length - 1))]);
  };
  const children: Paragraph[] = [new Paragraph({ heading: HeadingLevel.TITLE, children: runs(`Resolution of comments: ${r.title}`) })];
  for (const [k, v] of titleFacts(r)) children.push(para([...runs(`${k}: `, { bold: true }), ...runs(v)]));
  children.push(heading('Overview', HeadingLevel.HEADING_1), ...overviewRows(r).map(([k, v]) => bullet(runs(`${k}: ${v}`))));
  for (const s of r.sections) children.push(heading(s.title, HeadingLevel.HEADING_1), slot(threadTableXml(s.threads)));
  children.push(heading('Unresolved', HeadingLevel.HEADING_1));
  children.push(r.unresolved.length ? slot(linesXml(r.unresolved.map((t) => ({ text: `${t.number}. ${unresolvedLine(t)}` })))) : para(runs(ALL_DECIDED)));
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: runs('Annex I: Outline of the draft') }));
  const depths = outlineDepths(r.outline);
  children.push(r.outline.length ? slot(linesXml(r.outline.map((h, i) => ({ text: h.title, level: depths[i] })))) : para(runs(NO_HEADINGS)));
  children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: runs('Annex II: Participants') }));
  for (const role of ['chair', 'member', 'other'] as const) {
    const list = r.participants[role];
    if (!list.length) continue;
    children.push(heading(`${ROLE_HEADINGS[role]}:`, HeadingLevel.HEADING_2), ...list.map((p) => bullet(runs(participantLine(p)))));
  }
  const document = new Document({
    title: `Resolution of comments: ${r.title}`.replace(NOT_XML, ''),
    creator: 'Margins',
    styles: { default: { document: { run: { font: 'Liberation Serif', size: 22 } } } },
    sections: [{ properties: { page: { margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } } }, children }],
  });
  return { document, fragments };
}

/** Where the paragraph that holds `text` opens and ends, searching from `from`. */
function paragraphAround(xml: string, text: string, from: number): { start: number; end: number } {
  const at = xml.indexOf(text, from);
  if (at < 0) throw new Error('the DOCX lost a table marker');
  const open = Math.max(xml.lastIndexOf('<w:p>', at), xml.lastIndexOf('<w:p ', at));
  const close = xml.indexOf('</w:p>', at);
  if (open < from || close < 0) throw new Error('the DOCX table marker is not in a paragraph');
  return { start: open, end: close + '</w:p>'.length };
}

export async function toDocx(r: Resolution): Promise<Uint8Array> {
  const { document, fragments } = docxDocument(r);
  const files = unzipSync(new Uint8Array(await Packer.toArrayBuffer(document)));
  const path = 'word/document.xml';
  const xml = strFromU8(files[path]);
  // One pass, in document order: the pieces between markers, and each fragment.
  const parts: string[] = [];
  let done = 0;
  fragments.forEach((fragment, i) => {
    const { start, end } = paragraphAround(xml, marker(i), done);
    parts.push(xml.slice(done, start), fragment);
    done = end;
  });
  parts.push(xml.slice(done));
  files[path] = strToU8(parts.join(''));
  // Level 1: a few per cent larger than 6, in half the time (the document is megabytes for thousands of threads).
  return zipSync(files, { level: 1 });
}
