/**
 * Exports of a review, for the chair's summary and for other tools: the stable entry point.
 * `exportReview(input, format)` is pure (no clock, no network, no storage): the same input gives
 * the same output (DOCX: the same document; its zip carries the time it was written).
 */
import { toCsv } from './csv';
import { toDocx } from './docx';
import { toHtml } from './html';
import type { ExportFormat, ExportInput } from './input';
import { utcDate } from './labels';
import { toMarkdown } from './markdown';
import { buildResolution } from './resolution';
import { toW3c } from './w3c';

export type { ExportFormat, ExportInput, OutlineEntry, DraftRevision } from './input';
export { EXPORT_FORMATS } from './input';
export { buildResolution, type Resolution } from './resolution';

export async function exportReview(input: ExportInput, format: ExportFormat): Promise<string | Uint8Array> {
  const resolution = buildResolution(input);
  switch (format) {
    case 'markdown':
      return toMarkdown(resolution);
    case 'html':
      return toHtml(resolution);
    case 'csv':
      return toCsv(resolution);
    case 'w3c':
      return toW3c(resolution, input.state);
    case 'docx':
      return toDocx(resolution);
    default:
      throw new Error(`Unknown export format: ${String(format)}`);
  }
}

export const EXTENSIONS: Record<ExportFormat, string> = { markdown: 'md', html: 'html', docx: 'docx', csv: 'csv', w3c: 'jsonld' };
export const MEDIA_TYPES: Record<ExportFormat, string> = {
  markdown: 'text/markdown;charset=utf-8',
  html: 'text/html;charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv;charset=utf-8',
  w3c: 'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"',
};

/** `<draft>-resolution-<yyyy-mm-dd>.<ext>`: the draft's title made safe for every file system (accents dropped, anything but letters and digits a hyphen). */
export function exportFileName(title: string, exportedAt: number, format: ExportFormat): string {
  const slug =
    title
      // Accents off Latin letters (é → e), other scripts as they are (й stays й).
      .normalize('NFKD')
      .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
      .normalize('NFC')
      .toLowerCase()
      // Letters and digits of any script: a Cyrillic or Chinese title keeps its words.
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'review';
  return `${slug}-resolution-${utcDate(exportedAt)}.${EXTENSIONS[format]}`;
}
