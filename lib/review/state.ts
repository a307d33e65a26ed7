/** The folded view of a review: what every surface shows. Plain data, safe to post between contexts. */
import type { Anchor } from '../anchoring/types';
import type { Category, Disposition, Role } from './events';
import type { Hlc } from './hlc';
import type { Rejection } from './verify';
import { visibleName } from './names';

export interface Member {
  /** Raw public key (base64url). */
  key: string;
  keyId: string;
  name: string;
  role: Role;
  /** Set when a chair removed the member: only `upTo` and what precedes them counts of theirs. */
  removed?: { at: number; by: string; upTo: string[] };
}

export interface Comment {
  id: string;
  author: string;
  createdAt: number;
  body: string;
  editedAt?: number;
  /** Deleted by its author: the body is gone, the place in the thread stays ("comment deleted"). */
  deleted: boolean;
  deletedAt?: number;
  /** Written after its author was removed: its text does not count, its place in the thread stays. */
  withheld?: boolean;
  /** Made after the review period closed. */
  late: boolean;
  /** For groups working to a commenting template: the kind of comment and the proposed change. */
  category?: Category;
  proposal?: string;
}

/** One entry of a thread's record: a decision, or a change to a comment after the decision. */
export interface HistoryEntry {
  eventId: string;
  at: number;
  by: string;
  action: 'resolved' | 'reopened' | 'edited' | 'deleted';
  disposition?: Disposition;
  note?: string;
  /** For `edited` and `deleted`: which comment changed after the thread was resolved. */
  comment?: string;
}

export type ThreadStatus = 'open' | 'resolved';

export interface Thread {
  id: string;
  anchor: Anchor;
  author: string;
  createdAt: number;
  comments: Comment[];
  status: ThreadStatus;
  disposition?: Disposition;
  note?: string;
  history: HistoryEntry[];
}

export interface Period {
  opens: string | null;
  closes: string | null;
  /** Whether members may comment after `closes` (their comments are marked late). */
  late: boolean;
  reason: string;
  setBy: string;
  at: number;
  eventId: string;
}

/** Two or more events of one author that name the same predecessor. */
export interface Fork {
  by: string;
  prev: string | null;
  events: string[];
}

export interface ReviewMeta {
  title: string;
  url: string;
  canonical: string;
  fingerprint?: string;
  group?: string;
  createdBy: string;
  createdAt: number;
  /** Id of the `review.create` event. */
  eventId: string;
}

export interface ReviewState {
  id: string;
  meta: ReviewMeta | null;
  /** By public key. */
  members: Record<string, Member>;
  period: Period | null;
  periodHistory: Period[];
  threads: Thread[];
  rejected: Rejection[];
  /** Events stamped too far ahead of this computer's clock: they apply once `until` has passed. */
  waiting: { id: string; by: string; until: number }[];
  /** Authors who signed two different continuations of their history (shown to the chair). */
  forks: Fork[];
  /** Latest clock value among the events that applied: new events are stamped after it. */
  clock: Hlc | undefined;
}

export interface ReviewCounts {
  threads: number;
  open: number;
  resolved: number;
  comments: number;
}

/**
 * Whether a thread is shown: always once it has a reply or a decision (the record keeps it), and
 * a thread whose one comment its author deleted before anyone answered is withdrawn.
 */
export function isListed(thread: Thread): boolean {
  return thread.comments.length > 1 || thread.history.length > 0 || thread.comments.some((c) => !c.deleted);
}

/** No one but its author has written in it (deleted comments do not count). */
export function isUnanswered(thread: Thread): boolean {
  return !thread.comments.some((c) => !c.deleted && c.author !== thread.author);
}

/** What one thread adds to the counts and to the dashboard's summary (summary.ts). */
export interface ThreadFacts {
  listed: boolean;
  /** Comments not deleted. */
  comments: number;
  /** Of those, written after the period closed. */
  late: number;
  /** Comments not deleted, by author, in the order each first wrote. */
  byAuthor: [string, number][];
  unanswered: boolean;
  /** Its decisions and reopenings, in fold order. */
  decisions: { at: number; thread: string; action: 'resolved' | 'reopened' }[];
}

/**
 * Facts by thread object. A state handed out never changes, and a new state shares every thread
 * an event did not touch (fold.ts): the hub counts and summarises a review several times a second
 * while people write, and only the threads that changed need going over comment by comment again.
 */
const known = new WeakMap<Thread, ThreadFacts>();

export function threadFacts(t: Thread): ThreadFacts {
  let facts = known.get(t);
  if (facts) return facts;
  const byAuthor = new Map<string, number>();
  let comments = 0;
  let late = 0;
  for (const c of t.comments) {
    if (c.deleted) continue;
    comments++;
    if (c.late) late++;
    byAuthor.set(c.author, (byAuthor.get(c.author) ?? 0) + 1);
  }
  const decisions: ThreadFacts['decisions'] = [];
  for (const h of t.history) if (h.action === 'resolved' || h.action === 'reopened') decisions.push({ at: h.at, thread: t.id, action: h.action });
  facts = { listed: isListed(t), comments, late, byAuthor: [...byAuthor], unanswered: isUnanswered(t), decisions };
  known.set(t, facts);
  return facts;
}

/** The counts every surface shows (sidebar, popup, dashboard): one function, so they agree. */
export function countThreads(state: ReviewState): ReviewCounts {
  let open = 0;
  let threads = 0;
  let comments = 0;
  for (const t of state.threads) {
    const facts = threadFacts(t);
    if (!facts.listed) continue;
    threads++;
    if (t.status === 'open') open++;
    comments += facts.comments;
  }
  return { threads, open, resolved: threads - open, comments };
}

/** The name a member goes by; `unknown` (the caller's words, in the user's language) when none. */
export function displayName(state: ReviewState, key: string, unknown = 'Unknown reviewer'): string {
  return visibleName(state.members[key]?.name ?? '') || unknown;
}
