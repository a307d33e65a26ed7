/**
 * What an export is made from (docs/export.md): the folded review, and what only the draft knows.
 * Plain data, so any tool can build one: the hub's state, a conformance vector's fold, a test.
 */
import type { ReviewState } from '../review/state';

/** One heading of the draft, in document order. */
export interface OutlineEntry {
  /** 1–6 (h1–h6). */
  level: number;
  title: string;
  /** Where the heading starts in the draft's text (UTF-16 offset, lib/anchoring/text). */
  start: number;
}

/** The draft as it reads now: each thread's passage is looked for in it. */
export interface DraftRevision {
  /** The draft's text, extracted as lib/anchoring/text does. */
  text: string;
  outline: OutlineEntry[];
  fingerprint?: string;
}

export interface ExportInput {
  state: ReviewState;
  /** The group's name, for the title block. */
  group?: string;
  /**
   * The draft's headings when the review started (Annex I, and the order of the body's sections).
   * Absent: taken from `latest`, else from the sections the threads name, in passage order.
   */
  outline?: OutlineEntry[];
  /** The latest revision of the draft: what became of each passage. Absent: not compared. */
  latest?: DraftRevision;
  /** When the export is made (ms since the epoch): printed in the title block and file name, never read from a clock here. */
  exportedAt: number;
}

export type ExportFormat = 'markdown' | 'html' | 'docx' | 'csv' | 'w3c';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['markdown', 'html', 'docx', 'csv', 'w3c'];
