/**
 * The resolution summary as plain data, before any format: every exporter renders this one model,
 * so Markdown, HTML, DOCX and CSV say the same things in the same order.
 */
import { DISPOSITIONS, type Category, type Disposition } from '../review/events';
import { countThreads, displayName, isListed, type Comment, type HistoryEntry, type ReviewState, type Thread } from '../review/state';
import { fateOf, type Fate } from './fate';
import type { ExportInput, OutlineEntry } from './input';
import { NO_SECTION } from './labels';

export interface CommentView {
  id: string;
  author: string;
  authorName: string;
  at: number;
  editedAt?: number;
  deleted: boolean;
  withheld: boolean;
  late: boolean;
  /** Empty when deleted or withheld. */
  body: string;
  /** The commenting template's fields, when the author gave them. */
  category?: Category;
  proposal?: string;
}

export interface ThreadView {
  /** 1, 2, 3… in the order the summary lists threads (the draft's order). */
  number: number;
  id: string;
  section: string;
  quote: string;
  position?: { start: number; end: number };
  status: 'open' | 'resolved';
  disposition?: Disposition;
  /** The chair's response. */
  response: string;
  decidedBy?: string;
  decidedAt?: number;
  comments: CommentView[];
  history: (HistoryEntry & { byName: string })[];
  /** Null when no later revision was given. */
  fate: Fate | null;
  createdAt: number;
}

export interface Participant {
  key: string;
  name: string;
  comments: number;
  removed: boolean;
}

export interface Resolution {
  title: string;
  url: string;
  group: string;
  /** The draft's fingerprint when the review started, and the latest revision's when given. */
  fingerprint: string;
  latestFingerprint: string;
  period: { opens: string | null; closes: string | null };
  exportedAt: number;
  overview: { threads: number; comments: number; participants: number; open: number; resolved: number; byDisposition: Record<Disposition, number> };
  sections: { title: string; level: number; threads: ThreadView[] }[];
  outline: OutlineEntry[];
  unresolved: ThreadView[];
  participants: { chair: Participant[]; member: Participant[]; other: Participant[] };
}

function commentView(state: ReviewState, c: Comment): CommentView {
  return {
    id: c.id,
    author: c.author,
    authorName: displayName(state, c.author),
    at: c.createdAt,
    ...(c.editedAt !== undefined ? { editedAt: c.editedAt } : {}),
    deleted: c.deleted,
    withheld: c.withheld === true,
    late: c.late,
    body: c.deleted || c.withheld ? '' : c.body,
    ...(c.category && !c.withheld ? { category: c.category } : {}),
    ...(c.proposal && !c.deleted && !c.withheld ? { proposal: c.proposal } : {}),
  };
}

/** The draft's outline: as given, else the latest revision's, else the sections threads name, in passage order. */
function outlineOf(input: ExportInput, threads: Thread[]): OutlineEntry[] {
  if (input.outline?.length) return input.outline;
  if (input.latest?.outline.length) return input.latest.outline;
  const seen = new Map<string, number>();
  for (const t of threads) {
    if (!t.anchor.section) continue;
    const start = t.anchor.position?.start ?? Number.MAX_SAFE_INTEGER;
    seen.set(t.anchor.section, Math.min(seen.get(t.anchor.section) ?? Infinity, start));
  }
  return [...seen].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([title, start]) => ({ level: 2, title, start }));
}

/**
 * Which heading a thread belongs under. Headings repeat (an agenda lists the body's titles again):
 * the one just before the passage wins when its title matches, else the first with that title.
 */
function headingIndex(outline: OutlineEntry[], t: Thread): number {
  const title = t.anchor.section;
  if (!title) return -1;
  const at = t.anchor.position?.start;
  if (at !== undefined) {
    let before = -1;
    for (let i = 0; i < outline.length && outline[i].start <= at; i++) before = i;
    if (before >= 0 && outline[before].title === title) return before;
  }
  return outline.findIndex((h) => h.title === title);
}

function lastDecision(t: Thread): HistoryEntry | undefined {
  for (let i = t.history.length - 1; i >= 0; i--) if (t.history[i].action === 'resolved') return t.history[i];
  return undefined;
}

export function buildResolution(input: ExportInput): Resolution {
  const { state } = input;
  const listed = state.threads.filter(isListed);
  const outline = outlineOf(input, listed);
  const buckets = new Map<string, { title: string; level: number; order: number; threads: Thread[] }>();
  for (const t of listed) {
    const i = headingIndex(outline, t);
    const key = i >= 0 ? `h${i}` : `s:${t.anchor.section ?? ''}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      const title = i >= 0 ? outline[i].title : (t.anchor.section ?? NO_SECTION);
      // Untitled passages come first (they precede every heading); unknown sections after the outline.
      const order = i >= 0 ? i : t.anchor.section ? outline.length : -1;
      bucket = { title, level: i >= 0 ? outline[i].level : 2, order, threads: [] };
      buckets.set(key, bucket);
    }
    bucket.threads.push(t);
  }
  const byPassage = (a: Thread, b: Thread) =>
    (a.anchor.position?.start ?? Infinity) - (b.anchor.position?.start ?? Infinity) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const ordered = [...buckets.values()].sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
  let number = 0;
  const sections = ordered.map((b) => ({
    title: b.title,
    level: b.level,
    threads: b.threads.sort(byPassage).map((t) => threadView(input, t, ++number)),
  }));

  const byDisposition = Object.fromEntries(DISPOSITIONS.map((d) => [d, 0])) as Record<Disposition, number>;
  for (const t of listed) if (t.status === 'resolved' && t.disposition) byDisposition[t.disposition]++;
  const counts = countThreads(state);
  const participants = participantsOf(state);
  const writers = new Set(listed.flatMap((t) => t.comments.filter((c) => !c.deleted && !c.withheld).map((c) => c.author)));
  const meta = state.meta;
  return {
    title: meta?.title ?? '',
    url: meta?.url ?? '',
    group: input.group ?? '',
    fingerprint: meta?.fingerprint ?? '',
    latestFingerprint: input.latest?.fingerprint ?? '',
    period: { opens: state.period?.opens ?? null, closes: state.period?.closes ?? null },
    exportedAt: input.exportedAt,
    overview: { threads: counts.threads, comments: counts.comments, participants: writers.size, open: counts.open, resolved: counts.resolved, byDisposition },
    sections,
    outline,
    unresolved: sections.flatMap((s) => s.threads).filter((t) => t.status === 'open'),
    participants,
  };
}

function threadView(input: ExportInput, t: Thread, number: number): ThreadView {
  const { state } = input;
  const decision = t.status === 'resolved' ? lastDecision(t) : undefined;
  const comments = t.comments.map((c) => commentView(state, c));
  return {
    number,
    id: t.id,
    section: t.anchor.section ?? '',
    quote: t.anchor.quote.exact,
    ...(t.anchor.position ? { position: { start: t.anchor.position.start, end: t.anchor.position.end } } : {}),
    status: t.status,
    ...(t.status === 'resolved' && t.disposition ? { disposition: t.disposition } : {}),
    response: t.status === 'resolved' ? (t.note ?? '') : '',
    ...(decision ? { decidedBy: displayName(state, decision.by), decidedAt: decision.at } : {}),
    comments,
    history: t.history.map((h) => ({ ...h, byName: displayName(state, h.by) })),
    fate: input.latest ? fateOf(t.anchor, input.latest) : null,
    createdAt: t.createdAt,
  };
}

/** Annex II: the chair(s), the members, then anyone else whose comments count; with how many each wrote. */
function participantsOf(state: ReviewState): Resolution['participants'] {
  const written = new Map<string, number>();
  for (const t of state.threads) {
    if (!isListed(t)) continue;
    for (const c of t.comments) if (!c.deleted && !c.withheld) written.set(c.author, (written.get(c.author) ?? 0) + 1);
  }
  const out: Resolution['participants'] = { chair: [], member: [], other: [] };
  const keys = new Set([...Object.keys(state.members), ...written.keys()]);
  for (const key of keys) {
    const m = state.members[key];
    const p: Participant = { key, name: displayName(state, key), comments: written.get(key) ?? 0, removed: !!m?.removed };
    if (m?.role === 'chair' && !m.removed) out.chair.push(p);
    else if (m?.role === 'member' && !m.removed) out.member.push(p);
    else if (p.comments > 0 || m?.removed) out.other.push(p);
  }
  const byName = (a: Participant, b: Participant) => a.name.localeCompare(b.name, 'en') || (a.key < b.key ? -1 : 1);
  for (const list of Object.values(out)) list.sort(byName);
  return out;
}
