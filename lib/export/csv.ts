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
 * spreadsheet's own "this is text" mark (OWASP's advice for CSV injection). So does such text
 * after a semicolon, a tab or a line break (quotes between them or not): a spreadsheet whose list
 * separator is the semicolon (Excel in French or German) or that splits on tabs starts a cell
 * there, and a row at a line break, since the quotes around our comma-separated cell do not count
 * in that reading. The price: a line of a comment that starts with "- " shows "'- " in the CSV.
 */
export function asText(value: string): string {
  // Separators first, then the start: one expression for both took the start as a match of its
  // own, and a tab or CR opening the text then got no mark after it.
  const inner = value.replace(/([;\t\r\n]"*)(?=[=+\-@\t\r])/g, "$1'");
  return /^[=+\-@\t\r]/.test(inner) ? `'${inner}` : inner;
}

function cell(value: string): string {
  const safe = asText(value);
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row of the table as a CSV line. */
export function csvLine(row: readonly string[]): string {
  return row.map(cell).join(',');
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
  return `\uFEFF${table.map(csvLine).join('\r\n')}\r\n`;
}
