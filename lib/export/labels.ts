/**
 * The words of an exported summary. A summary is circulated in the group's working language, not
 * the reader's interface language: English here, the same in every format (docs/export.md).
 */
import type { Disposition } from '../review/events';
import type { Fate } from './fate';

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
