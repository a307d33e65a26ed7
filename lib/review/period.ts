/**
 * Where a review stands in its period, for every surface that shows it (sidebar header, popup,
 * reminders): pure functions of the folded state and the time.
 */
import type { Period, ReviewState } from './state';

export type PeriodPhase = 'none' | 'upcoming' | 'open' | 'closing' | 'closed';

/** The last stretch before closing, when the period is shown as closing soon and reminders go out. */
export const CLOSING_SOON_MS = 48 * 3_600_000;

export interface PeriodStatus {
  phase: PeriodPhase;
  /** Milliseconds until the next change of phase (opening or closing); null when none comes. */
  remaining: number | null;
  /** Whether members may comment now (before opening, within, or late when the chair allows). */
  membersMayComment: boolean;
  /** Comments made now are marked late. */
  late: boolean;
}

export function periodStatus(period: Period | null, now: number): PeriodStatus {
  const opens = period?.opens ? Date.parse(period.opens) : null;
  const closes = period?.closes ? Date.parse(period.closes) : null;
  if (!period || (opens === null && closes === null)) return { phase: 'none', remaining: null, membersMayComment: true, late: false };
  if (opens !== null && now < opens) return { phase: 'upcoming', remaining: opens - now, membersMayComment: true, late: false };
  if (closes === null) return { phase: 'open', remaining: null, membersMayComment: true, late: false };
  if (now > closes) return { phase: 'closed', remaining: null, membersMayComment: period.late, late: true };
  return { phase: closes - now <= CLOSING_SOON_MS ? 'closing' : 'open', remaining: closes - now, membersMayComment: true, late: false };
}

/**
 * Whether the chair may close the period at once: it runs now and has a closing time. A period
 * not yet open cannot close before it opens (the fold refuses that); the chair changes its dates.
 */
export function closableNow(period: Period | null, now: number): boolean {
  const { phase, remaining } = periodStatus(period, now);
  return (phase === 'open' || phase === 'closing') && remaining !== null;
}

/** "3 d 4 h", "5 h 12 min", "40 min": a countdown that needs no translation beyond its units. */
export function countdownParts(ms: number): { days: number; hours: number; minutes: number } {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  return { days: Math.floor(minutes / 1_440), hours: Math.floor((minutes % 1_440) / 60), minutes: minutes % 60 };
}

/** Who has written in a review (a comment that counts, deleted or not: they took part). */
export function commenters(state: ReviewState): Set<string> {
  const keys = new Set<string>();
  for (const t of state.threads) for (const c of t.comments) if (!c.withheld) keys.add(c.author);
  return keys;
}
