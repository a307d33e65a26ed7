/**
 * A review at a glance, for the dashboard: counts (the very function the sidebar uses), decisions
 * by disposition, what waits for the chair, who has taken part, where in the draft the comments
 * are, and how resolution went over time. Pure: the hub computes it from the folded state.
 */
import { DISPOSITIONS, type Disposition } from './events';
import { periodStatus, type PeriodStatus } from './period';
import { countThreads, displayName, threadFacts, type ReviewCounts, type ReviewState, type Thread, type ThreadFacts } from './state';

export interface ThreadRef {
  id: string;
  quote: string;
  section: string;
  author: string;
  authorName: string;
  createdAt: number;
  comments: number;
}

export interface ReviewSummary {
  counts: ReviewCounts;
  period: PeriodStatus & { opens: string | null; closes: string | null };
  byDisposition: Record<Disposition, number>;
  unanswered: number;
  /** Comments made after the period closed (the chair allowed them). */
  late: number;
  /** Every member, those who have not written included, most active first. */
  participation: { key: string; name: string; role: string; comments: number; threads: number }[];
  /** Sections in the draft's order (by where their first passage starts), with their counts. */
  sections: { section: string; threads: number; comments: number; open: number }[];
  /** Open threads, oldest first (the first 20; `counts.open` says how many): what waits for the chair. */
  needsDecision: ThreadRef[];
  /** This profile's own open threads (the first 20 of `mineOpen`), and the replies others wrote in them. */
  mine: (ThreadRef & { replies: number })[];
  mineOpen: number;
  /** Resolved threads after each decision, in time order (at most 48 points): the progress chart. */
  progress: { at: number; resolved: number }[];
}

const QUOTE_CHARS = 140;
/**
 * A dashboard row travels to every dashboard on each open: lists are cut to what a card shows
 * (the counts say how many there are in all), and the progress line to a few dozen points.
 */
const LISTED = 20;
const PROGRESS_POINTS = 48;

function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]);
}

function ref(state: ReviewState, t: Thread): ThreadRef {
  const exact = t.anchor.quote.exact;
  return {
    id: t.id,
    quote: exact.length > QUOTE_CHARS ? `${exact.slice(0, QUOTE_CHARS)}…` : exact,
    section: t.anchor.section ?? '',
    author: t.author,
    authorName: displayName(state, t.author, ''),
    createdAt: t.createdAt,
    comments: threadFacts(t).comments,
  };
}

export function summarize(state: ReviewState, me: string, now: number): ReviewSummary {
  const threads: Thread[] = [];
  const byDisposition = Object.fromEntries(DISPOSITIONS.map((d) => [d, 0])) as Record<Disposition, number>;
  const people = new Map<string, { comments: number; threads: number }>();
  for (const key of Object.keys(state.members)) people.set(key, { comments: 0, threads: 0 });
  const sections = new Map<string, { start: number; threads: number; comments: number; open: number }>();
  let late = 0;
  let unanswered = 0;
  const decisions: ThreadFacts['decisions'] = [];
  for (const t of state.threads) {
    const facts = threadFacts(t);
    if (!facts.listed) continue;
    threads.push(t);
    if (t.status === 'resolved' && t.disposition) byDisposition[t.disposition]++;
    const section = t.anchor.section ?? '';
    const entry = sections.get(section) ?? { start: Infinity, threads: 0, comments: 0, open: 0 };
    entry.start = Math.min(entry.start, t.anchor.position?.start ?? Infinity);
    entry.threads++;
    if (t.status === 'open') {
      entry.open++;
      if (facts.unanswered) unanswered++;
    }
    sections.set(section, entry);
    const author = people.get(t.author) ?? { comments: 0, threads: 0 };
    author.threads++;
    people.set(t.author, author);
    for (const [key, n] of facts.byAuthor) {
      const p = people.get(key) ?? { comments: 0, threads: 0 };
      p.comments += n;
      people.set(key, p);
    }
    entry.comments += facts.comments;
    late += facts.late;
    for (const d of facts.decisions) decisions.push(d);
  }
  const open = threads.filter((t) => t.status === 'open').sort((a, b) => a.createdAt - b.createdAt);
  const mine = open.filter((t) => t.author === me);
  decisions.sort((a, b) => a.at - b.at);
  const resolvedNow = new Set<string>();
  const progress = decisions.map((d) => {
    if (d.action === 'resolved') resolvedNow.add(d.thread);
    else resolvedNow.delete(d.thread);
    return { at: d.at, resolved: resolvedNow.size };
  });
  return {
    counts: countThreads(state),
    period: { ...periodStatus(state.period, now), opens: state.period?.opens ?? null, closes: state.period?.closes ?? null },
    byDisposition,
    unanswered,
    late,
    participation: [...people]
      .map(([key, p]) => ({ key, name: displayName(state, key, ''), role: state.members[key]?.role ?? 'none', ...p }))
      .filter((p) => p.role !== 'none' || p.comments > 0)
      .sort((a, b) => b.comments - a.comments || a.name.localeCompare(b.name)),
    sections: [...sections]
      .sort((a, b) => a[1].start - b[1].start || a[0].localeCompare(b[0]))
      .map(([section, { threads: n, comments, open: o }]) => ({ section, threads: n, comments, open: o })),
    needsDecision: open.slice(0, LISTED).map((t) => ref(state, t)),
    mine: mine.slice(0, LISTED).map((t) => ({ ...ref(state, t), replies: t.comments.filter((c) => !c.deleted && c.author !== me).length })),
    mineOpen: mine.length,
    progress: thin(progress, PROGRESS_POINTS),
  };
}
