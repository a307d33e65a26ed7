/**
 * The words of an exported summary. A summary is circulated in the group's working language, not
 * the reader's interface language: English here, the same in every format (docs/export.md).
 */
import { DISPOSITIONS, type Category, type Disposition } from '../review/events';
import type { Fate } from './fate';
import type { CommentView, Participant, Resolution, ThreadView } from './resolution';

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

/** Carriage returns end lines too (in CommonMark, in Word): every renderer splits on "\n" only. */
export const oneNewline = (s: string): string => s.replace(/\r\n?/g, '\n');

export function periodText(r: Resolution): string {
  const { opens, closes } = r.period;
  if (!opens && !closes) return '';
  const at = (iso: string) => utc(Date.parse(iso));
  if (opens && closes) return `${at(opens)} to ${at(closes)}`;
  return opens ? `from ${at(opens)}` : `until ${at(closes!)}`;
}

/** One line of at most `max` characters (whole characters: an emoji is never cut in half). */
export function short(s: string, max = 120): string {
  const one = [...s.replace(/\s+/g, ' ').trim()];
  return one.length > max ? `${one.slice(0, max - 1).join('')}…` : one.join('');
}

/** The title block's facts, those that are known, in order. */
export function titleFacts(r: Resolution): [string, string][] {
  const facts: [string, string][] = [
    ['Group', r.group],
    ['Draft', r.url],
    ['Revision reviewed', r.fingerprint],
    ['Latest revision', r.latestFingerprint],
    ['Review period', periodText(r)],
    ['Exported', utc(r.exportedAt)],
  ];
  return facts.filter(([, v]) => v);
}

/** The overview, as label and value. */
export function overviewRows(r: Resolution): [string, string][] {
  const o = r.overview;
  const decided = DISPOSITIONS.filter((d) => o.byDisposition[d] > 0).map((d) => `${DISPOSITION_TEXT[d]} ${o.byDisposition[d]}`);
  return [
    ['Threads', `${o.threads} (${o.resolved} resolved, ${o.open} open)`],
    ['Comments', `${o.comments}, from ${o.participants} ${o.participants === 1 ? 'participant' : 'participants'}`],
    ['Decisions', decided.length ? decided.join(', ') : 'none yet'],
  ];
}

export const NO_DECISION = 'none yet';
export const NO_HEADINGS = 'The draft has no headings.';
export const ALL_DECIDED = 'Every thread has a decision.';

/** "by Okafor, Amara, 2018-08-17 09:00 UTC": who decided and when. */
export function decidedBy(t: ThreadView): string {
  return [t.decidedBy ? `by ${t.decidedBy}` : '', t.decidedAt !== undefined ? utc(t.decidedAt) : ''].filter(Boolean).join(', ');
}

/** A thread's record when there is more than one decision or change to tell (a single decision is already said). */
export function historyLines(t: ThreadView): string[] {
  if (t.history.length < 2) return [];
  return t.history.map((h) => `${utc(h.at)}: ${h.action}${h.disposition ? ` (${DISPOSITION_TEXT[h.disposition]})` : ''} by ${h.byName}`);
}

export function participantLine(p: Participant): string {
  return `${p.name}${p.removed ? ' (removed)' : ''}: ${p.comments} ${p.comments === 1 ? 'comment' : 'comments'}`;
}

export function unresolvedLine(t: ThreadView): string {
  return `${t.section || '—'}: “${short(t.quote)}”`;
}

/** Nesting depth of each heading (not its level: an outline may start at h3 or skip a level). */
export function outlineDepths(outline: { level: number }[]): number[] {
  const stack: number[] = [];
  return outline.map((h) => {
    while (stack.length && stack[stack.length - 1] >= h.level) stack.pop();
    stack.push(h.level);
    return stack.length - 1;
  });
}
