/**
 * Reminders and the toolbar badge, decided from the dashboard's rows (pure): members who have not
 * commented hear 48 h and 2 h before the period closes; the chair hears at closing how many threads
 * are still open. Each reminder has a key naming the review, the closing time and the kind: sent
 * once (the hub keeps the keys), and due again only if the chair moves the deadline.
 */
import type { ReviewRecord } from '../store/db';

export type ReminderKind = 'closing-48h' | 'closing-2h' | 'closed';

export interface Reminder {
  key: string;
  review: string;
  kind: ReminderKind;
  title: string;
  closes: string;
  /** For `closed`: threads still open. */
  open: number;
}

const H = 3_600_000;
const BEFORE: [ReminderKind, number][] = [
  ['closing-48h', 48 * H],
  ['closing-2h', 2 * H],
];
/** A closing older than this is not announced any more (a browser that was off for days). */
const CLOSED_NEWS_MS = 24 * H;

export function dueReminders(records: ReviewRecord[], me: string, now: number, sent: ReadonlySet<string>): Reminder[] {
  const due: Reminder[] = [];
  for (const r of records) {
    const closesIso = r.period?.closes;
    if (!closesIso || !r.summary) continue;
    const closes = Date.parse(closesIso);
    const base = { review: r.id, title: r.title, closes: closesIso, open: r.summary.counts.open };
    if (r.myRole === 'member' && now < closes) {
      const wrote = r.summary.participation.some((p) => p.key === me && p.comments > 0);
      if (wrote) continue;
      // Only the latest that applies: within the last 2 hours, the 48-hour one is stale news.
      const [kind] = BEFORE.filter(([, before]) => now >= closes - before).at(-1) ?? [];
      if (kind) {
        const key = `${r.id}|${closesIso}|${kind}`;
        if (!sent.has(key)) due.push({ key, kind, ...base });
      }
    } else if (r.myRole === 'chair' && now >= closes && now < closes + CLOSED_NEWS_MS) {
      const key = `${r.id}|${closesIso}|closed`;
      if (!sent.has(key)) due.push({ key, kind: 'closed', ...base });
    }
  }
  return due;
}

/**
 * The toolbar badge: for a chair, threads still open in reviews whose period has closed (they wait
 * for decisions); otherwise the time left in the review that closes next; nothing when no period runs.
 */
export function badgeFor(records: ReviewRecord[], now: number): { text: string; kind: 'open' | 'time' | 'none' } {
  let open = 0;
  let next = Infinity;
  for (const r of records) {
    const closes = r.period?.closes ? Date.parse(r.period.closes) : null;
    if (closes === null) continue;
    if (r.myRole === 'chair' && now >= closes) open += r.summary?.counts.open ?? r.counts.open;
    else if (now < closes) next = Math.min(next, closes - now);
  }
  if (open) return { text: String(open), kind: 'open' };
  if (next === Infinity) return { text: '', kind: 'none' };
  return { text: next >= 24 * H ? `${Math.floor(next / (24 * H))}d` : `${Math.max(1, Math.floor(next / H))}h`, kind: 'time' };
}
