/**
 * The words of an exported summary. A summary is circulated in the group's working language, not
 * the reader's interface language: English here, the same in every format (docs/export.md).
 */
import type { Category, Disposition } from '../review/events';
import type { Fate } from './fate';
import type { CommentView } from './resolution';

export const DISPOSITION_TEXT: Record<Disposition, string> = {
  accepted: 'Accepted',
  'accepted-with-changes': 'Accepted with changes',
  'not-accepted': 'Not accepted',
  noted: 'Noted',
  duplicate: 'Duplicate',
  deferred: 'Deferred',
};

export function fateText(fate: Fate | null): string {
  if (!fate) return 'Not compared with a later revision';
  switch (fate.kind) {
    case 'unchanged':
      return 'Unchanged';
    case 'reworded':
      return 'Reworded';
    case 'moved':
      return fate.section ? `Moved (now under “${fate.section}”)` : 'Moved';
    case 'gone':
      return 'No longer in the draft';
  }
}

export const ROLE_HEADINGS = { chair: 'CHAIR', member: 'MEMBERS', other: 'OTHER PARTICIPANTS' } as const;

export const NO_SECTION = 'Before the first heading';

/** "2026-11-20 14:05 UTC": the group schedules in UTC, and the summary reads the same anywhere. */
export function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const CATEGORY_TEXT: Record<Category, string> = { general: 'general', technical: 'technical', editorial: 'editorial' };
/** The commenting template's codes for the type of comment. */
export const CATEGORY_CODE: Record<Category, string> = { general: 'ge', technical: 'te', editorial: 'ed' };

/** What is said after a comment's author in every format: when, edited, late, its type. */
export function commentMarks(c: CommentView): string {
  return [utc(c.at), c.editedAt !== undefined && !c.deleted ? `edited ${utc(c.editedAt)}` : '', c.late ? 'late' : '', c.category && !c.deleted && !c.withheld ? CATEGORY_TEXT[c.category] : '']
    .filter(Boolean)
    .join(', ');
}
