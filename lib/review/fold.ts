/**
 * Folds the event log into the review state. Pure and deterministic: the same set of events gives
 * the same state on every replica, whatever order or how many times they arrived, because events
 * are applied in hybrid-logical-clock order with ties broken by author key and event id.
 *
 * Each event is checked against the state built so far (roles, ownership, existence); an event
 * that fails is set aside in `rejected` with the reason, and the rest of the log still applies.
 */
import type { EventBody, EventPayload } from './events';
import { compareHlc } from './hlc';
import type { Comment, ReviewState, Thread } from './state';
import type { Rejection, VerifiedEvent } from './verify';

/** Review ids are `<creator key id>.<random>`: only that key can sign the review's creation. */
export function creatorKeyIdOf(reviewId: string): string {
  return reviewId.split('.')[0];
}

export function orderEvents(a: VerifiedEvent, b: VerifiedEvent): number {
  const x = a.payload;
  const y = b.payload;
  return compareHlc(x.hlc, y.hlc) || cmp(x.by, y.by) || cmp(x.id, y.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** How far ahead of the receiver's clock an event may be stamped and still apply now. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

export interface FoldOptions {
  /**
   * The receiver's time. Events stamped more than MAX_CLOCK_SKEW_MS after it wait, unapplied, in
   * `waiting` until time catches up. Without it (conformance, tests) no event waits.
   */
  now?: number;
}

export function fold(reviewId: string, events: VerifiedEvent[], earlierRejections: Rejection[] = [], options: FoldOptions = {}): ReviewState {
  const state: ReviewState = {
    id: reviewId,
    meta: null,
    members: {},
    period: null,
    periodHistory: [],
    threads: [],
    rejected: [...earlierRejections],
    waiting: [],
    clock: undefined,
  };
  const threads = new Map<string, Thread>();
  const comments = new Map<string, { comment: Comment; thread: Thread }>();
  const seen = new Set<string>();
  const horizon = (options.now ?? Infinity) + MAX_CLOCK_SKEW_MS;
  const ordered: VerifiedEvent[] = [];
  for (const event of [...events].sort(orderEvents)) {
    const p = event.payload;
    if (seen.has(p.id)) continue;
    seen.add(p.id);
    // A stamp far in the future (a wrong clock, or an attempt to freeze the review) waits.
    if (p.hlc.t > horizon) state.waiting.push({ id: p.id, by: p.by, until: p.hlc.t - MAX_CLOCK_SKEW_MS });
    else ordered.push(event);
  }
  const admitted = admissions(reviewId, ordered);

  ordered.forEach((event, index) => {
    const p = event.payload;
    const reason = apply(state, threads, comments, event, admitted.laterMember(p.by, index));
    if (reason) state.rejected.push({ id: p.id, by: p.by, reason });
    // Only an event that counts moves the clock: one set aside must not push every later stamp.
    else if (!state.clock || compareHlc(p.hlc, state.clock) > 0) state.clock = p.hlc;
  });
  return state;
}

/**
 * Who is admitted when. A member may write before the chair's grant reaches them (peers sync
 * whenever they happen to be online together), so an event from a key with no role yet counts
 * as a member's if the key's next role change, later in the log, makes it a member. Chair powers
 * are never backdated: they hold only from the grant on.
 */
function admissions(reviewId: string, ordered: VerifiedEvent[]) {
  const changes = new Map<string, { index: number; role: string }[]>();
  const chairs = new Set<string>();
  let creator: string | null = null;
  ordered.forEach((event, index) => {
    const p = event.payload;
    if (p.e.type === 'review.create' && !creator && event.keyId === creatorKeyIdOf(reviewId)) {
      creator = p.by;
      chairs.add(p.by);
      changes.set(p.by, [{ index, role: 'chair' }]);
    } else if (p.e.type === 'role.grant' && chairs.has(p.by) && !(p.e.subject === creator && p.e.role !== 'chair')) {
      if (p.e.role === 'chair') chairs.add(p.e.subject);
      else chairs.delete(p.e.subject);
      const list = changes.get(p.e.subject) ?? [];
      list.push({ index, role: p.e.role });
      changes.set(p.e.subject, list);
    }
  });
  return {
    laterMember(key: string, index: number): boolean {
      const next = changes.get(key)?.find((c) => c.index > index);
      return !!next && next.role !== 'none' && !(changes.get(key) ?? []).some((c) => c.index < index);
    },
  };
}

type Threads = Map<string, Thread>;
type Comments = Map<string, { comment: Comment; thread: Thread }>;

/** Applies one event; returns why it was set aside, or undefined when it applied. */
function apply(state: ReviewState, threads: Threads, comments: Comments, event: VerifiedEvent, laterMember: boolean): string | undefined {
  const p = event.payload;
  const e = p.e;
  if (e.type === 'review.create') return create(state, event, e);
  if (!state.meta) return 'the review has not been created';
  let role = state.members[p.by]?.role ?? 'none';
  if (role === 'none' && laterMember && e.type !== 'role.grant' && e.type !== 'period.set' && e.type !== 'thread.resolve') {
    // Written before the grant arrived: a member's event all the same (see admissions).
    state.members[p.by] ??= { key: p.by, keyId: event.keyId, name: '', role: 'none' };
    role = 'member';
  }
  if (role === 'none') return 'author is not a member of this review';
  state.members[p.by].keyId ||= event.keyId; // grants name a key; its id is known once it signs
  const isChair = role === 'chair';

  switch (e.type) {
    case 'profile.set':
      state.members[p.by].name = e.name;
      return;
    case 'role.grant': {
      if (!isChair) return 'only a chair can grant roles';
      if (e.subject === state.meta.createdBy && e.role !== 'chair') return "the review's creator stays chair";
      const existing = state.members[e.subject];
      state.members[e.subject] = {
        key: e.subject,
        keyId: existing?.keyId ?? '',
        name: e.name ?? existing?.name ?? '',
        role: e.role,
      };
      return;
    }
    case 'period.set': {
      if (!isChair) return 'only a chair can set the review period';
      if (e.opens && e.closes && Date.parse(e.closes) <= Date.parse(e.opens)) return 'the period closes before it opens';
      const period = { opens: e.opens, closes: e.closes, setBy: p.by, at: p.hlc.t };
      state.period = period;
      state.periodHistory.push(period);
      return;
    }
    case 'comment.add':
      return addComment(state, threads, comments, p, e);
    case 'comment.edit':
    case 'comment.delete': {
      const found = comments.get(e.comment);
      if (!found) return 'no such comment';
      if (found.comment.author !== p.by) return 'only the author can change a comment';
      if (found.comment.deleted) return 'the comment was deleted';
      if (e.type === 'comment.edit') {
        found.comment.body = e.body;
        found.comment.editedAt = p.hlc.t;
      } else {
        found.comment.deleted = true;
        found.comment.body = '';
      }
      return;
    }
    case 'thread.resolve': {
      const thread = threads.get(e.thread);
      if (!thread) return 'no such thread';
      if (!isChair) return 'only a chair can resolve a thread';
      thread.status = 'resolved';
      thread.disposition = e.disposition;
      thread.note = e.note;
      thread.history.push({ eventId: p.id, at: p.hlc.t, by: p.by, status: 'resolved', disposition: e.disposition, note: e.note });
      return;
    }
    case 'thread.reopen': {
      const thread = threads.get(e.thread);
      if (!thread) return 'no such thread';
      if (!isChair && thread.author !== p.by) return "only a chair or the thread's author can reopen it";
      if (thread.status === 'open') return; // a concurrent reopen already won: nothing to change
      thread.status = 'open';
      thread.disposition = undefined;
      thread.note = undefined;
      thread.history.push({ eventId: p.id, at: p.hlc.t, by: p.by, status: 'open', note: e.note });
      return;
    }
  }
}

function create(state: ReviewState, event: VerifiedEvent, e: Extract<EventBody, { type: 'review.create' }>): string | undefined {
  const p = event.payload;
  if (state.meta) return 'the review was already created';
  if (event.keyId !== creatorKeyIdOf(state.id)) return 'only the key named in the review id can create the review';
  state.meta = { title: e.title, url: e.url, canonical: e.canonical, fingerprint: e.fingerprint, group: e.group, createdBy: p.by, createdAt: p.hlc.t };
  const existing = state.members[p.by];
  state.members[p.by] = { key: p.by, keyId: event.keyId, name: existing?.name ?? '', role: 'chair' };
  return;
}

function addComment(
  state: ReviewState,
  threads: Threads,
  comments: Comments,
  p: EventPayload,
  e: Extract<EventBody, { type: 'comment.add' }>,
): string | undefined {
  const closes = state.period?.closes ? Date.parse(state.period.closes) : Infinity;
  const comment: Comment = { id: p.id, author: p.by, createdAt: p.hlc.t, body: e.body, deleted: false, late: p.hlc.t > closes };
  let thread: Thread | undefined;
  if (e.thread === undefined) {
    if (!e.anchor) return 'a new thread needs an anchor';
    thread = { id: p.id, anchor: e.anchor, author: p.by, createdAt: p.hlc.t, comments: [], status: 'open', history: [] };
    threads.set(thread.id, thread);
    state.threads.push(thread);
  } else {
    thread = threads.get(e.thread);
    if (!thread) return 'reply to a thread that does not exist';
  }
  thread.comments.push(comment);
  comments.set(comment.id, { comment, thread });
  return;
}
