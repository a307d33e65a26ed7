/**
 * The comment-resolution table (CSV, RFC 4180): the columns of the ISO/IEC commenting template,
 * then the decision's. One row per comment; a thread's decision is repeated on each of its rows so
 * that sorting and filtering in a spreadsheet never separates a comment from what became of it.
 * UTF-8 with a byte-order mark, CRLF line ends: what Excel needs to open it right.
 */
import { CATEGORY_CODE, DISPOSITION_TEXT, fateText, utc } from './labels';
import type { Resolution } from './resolution';

export const CSV_COLUMNS = [
  'Thread',
  'MB/NC',
  'Clause/Subclause',
  'Paragraph/Figure/Table',
  'Type of comment',
  'Comments',
  'Proposed change',
  'Observations of the secretariat',
  'Disposition',
  'Status',
  'Comment date',
  'Decision date',
  'Comment state',
  'In the latest revision',
] as const;

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or CR) as a formula: a comment
 * could make the chair's spreadsheet fetch a URL. Such cells get a leading apostrophe, the
 * spreadsheet's own "this is text" mark (OWASP's advice for CSV injection).
 */
export function asText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function cell(value: string): string {
  const safe = asText(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRows(r: Resolution): string[][] {
  const rows: string[][] = [];
  for (const s of r.sections) {
    for (const t of s.threads) {
      for (const c of t.comments) {
        const state = [c.withheld ? 'withheld' : c.deleted ? 'deleted' : '', c.editedAt !== undefined && !c.deleted ? 'edited' : '', c.late ? 'late' : ''].filter(Boolean).join(', ');
        rows.push([
          String(t.number),
          c.authorName,
          t.section,
          t.quote,
          c.category ? CATEGORY_CODE[c.category] : '',
          c.body,
          c.proposal ?? '',
          t.response,
          t.disposition ? DISPOSITION_TEXT[t.disposition] : '',
          t.status === 'open' ? 'Open' : 'Resolved',
          utc(c.at),
          t.decidedAt !== undefined ? utc(t.decidedAt) : '',
          state,
          t.fate ? fateText(t.fate) + (t.fate.kind === 'reworded' ? `: ${t.fate.now}` : '') : '',
        ]);
      }
    }
  }
  return rows;
}

export function toCsv(r: Resolution): string {
  const table = [[...CSV_COLUMNS], ...csvRows(r)];
  return `\uFEFF${table.map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}
