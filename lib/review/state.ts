/** The folded view of a review: what every surface shows. Plain data, safe to post between contexts. */
import type { Anchor } from '../anchoring/types';
import type { Disposition, Role } from './events';
import type { Hlc } from './hlc';
import type { Rejection } from './verify';

export interface Member {
  /** Raw public key (base64url). */
  key: string;
  keyId: string;
  name: string;
  role: Role;
}

export interface Comment {
  id: string;
  author: string;
  createdAt: number;
  body: string;
  editedAt?: number;
  deleted: boolean;
  /** Made after the review period closed. */
  late: boolean;
}

export interface StatusChange {
  eventId: string;
  at: number;
  by: string;
  status: ThreadStatus;
  disposition?: Disposition;
  note?: string;
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
  history: StatusChange[];
}

export interface Period {
  opens: string | null;
  closes: string | null;
  setBy: string;
  at: number;
}

export interface ReviewMeta {
  title: string;
  url: string;
  canonical: string;
  fingerprint?: string;
  group?: string;
  createdBy: string;
  createdAt: number;
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
  /** Latest clock value among the events that applied: new events are stamped after it. */
  clock: Hlc | undefined;
}

export interface ReviewCounts {
  threads: number;
  open: number;
  resolved: number;
  comments: number;
}

export function countThreads(state: ReviewState): ReviewCounts {
  let open = 0;
  let comments = 0;
  for (const t of state.threads) {
    if (t.status === 'open') open++;
    comments += t.comments.filter((c) => !c.deleted).length;
  }
  return { threads: state.threads.length, open, resolved: state.threads.length - open, comments };
}

/** The name a member goes by; `unknown` (the caller's words, in the user's language) when none. */
export function displayName(state: ReviewState, key: string, unknown = 'Unknown reviewer'): string {
  return state.members[key]?.name || unknown;
}
