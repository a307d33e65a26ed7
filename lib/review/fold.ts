/**
 * Folds the event log into the review state. Pure and deterministic: the same set of events gives
 * the same state on every replica, whatever order or how many times they arrived, because events
 * are applied in hybrid-logical-clock order with ties broken by author key and event id.
 *
 * Each event is checked against the state built so far (roles, ownership, existence); an event
 * that fails is set aside in `rejected` with the reason, and the rest of the log still applies.
 * The rules are specified in docs/data-model.md and pinned by docs/conformance/.
 */
import type { EventBody } from './events';
import { compareHlc } from './hlc';
import type { Comment, Fork, ReviewState, Thread } from './state';
import type { Rejection, VerifiedEvent } from './verify';

/** Review ids are `<creator key id>.<random>`: only that key can sign the review's creation. */
export function creatorKeyIdOf(reviewId: string): string {
  return reviewId.split('.')[0];
}

export function orderEvents(a: VerifiedEvent, b: VerifiedEvent): number {
  const x = a.payload;
  const y = b.payload;
  return compareHlc(x.hlc, y.hlc) || cmp(x.by, y.by) || cmp(a.id, b.id);
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
  /** Events between two states kept for late events (see spanFor); tests make it small. */
  span?: number;
}

/**
 * A state is kept every SPAN events, the last KEPT of them: an event that sorts before the newest
 * (a peer was offline, two comments crossed) is folded again from the kept state before it, if it
 * is at most SPAN × KEPT events back; beyond that, the whole log is folded.
 */
const SPAN = 256;
const KEPT = 8;
/**
 * A smaller review keeps its states closer together (spanFor): ten members writing at once on a
 * review of a few hundred events send comments that cross all the time, and with states 256 apart
 * each late one folded again everything since the review was opened.
 */
const MIN_SPAN = 16;

/** How far apart a fold of `n` events keeps its states: KEPT of them cover a fair part of the log. */
function spanFor(n: number): number {
  return Math.min(SPAN, Math.max(MIN_SPAN, Math.floor(n / (2 * KEPT))));
}

/** Reasons an event is set aside for (stable strings: conformance vectors name them). */
export const REASONS = {
  notCreated: 'the review has not been created',
  alreadyCreated: 'the review was already created',
  notCreator: 'only the key named in the review id can create the review',
  notMember: 'author is not a member of this review',
  removed: 'written after the author was removed',
  foreignPrev: "its predecessor is another author's event",
} as const;

export function fold(reviewId: string, events: VerifiedEvent[], earlierRejections: Rejection[] = [], options: FoldOptions = {}): ReviewState {
  return Folded.of(reviewId, events, earlierRejections, options).state;
}

/**
 * Role changes and creation reach back in time (see admissions): after one, the log folds whole
 * again. A grant to a key with nothing in the log is the exception (see `fits`).
 */
const REACHES_BACK = new Set<EventBody['type']>(['review.create', 'role.grant', 'role.revoke']);

/**
 * A folded log that takes further events at its end without folding again (issue 14: one event
 * must not cost the whole history). `add` applies an event that orders after every event folded so
 * far, when nothing about it reaches back: not a role change or the creation, no fork, nothing
 * waiting that has come due. Anything else returns false, and the caller folds the whole log,
 * which gives the same state by construction (a property test holds them equal).
 *
 * States handed out never change afterwards: an added event copies what it touches (the top-level
 * arrays, the members, the one thread) and leaves earlier states as they were.
 */
export class Folded {
  private constructor(
    private readonly reviewId: string,
    private current: ReviewState,
    private readonly ctx: Context,
    private readonly byId: Map<string, VerifiedEvent>,
    private readonly forkKeys: Set<string>,
    private readonly threadAt: Map<string, number>,
    private last: VerifiedEvent | null,
    /** Ids folded events name (as `prev`, or in a removal's `upTo`), with how many name each: one arriving late changes them. */
    private readonly named: Map<string, number>,
    /** Every event folded, in order (not those waiting). */
    private readonly ordered: VerifiedEvent[],
    /** Events between kept states; it grows with the log unless the caller set it (spanFor). */
    private span: number,
    private readonly spanGrows: boolean,
    /** How many of the state's rejections are envelopes that failed their checks: the fold's own refusals follow them. */
    private readonly envelopeFailures: number,
  ) {
    this.keep();
  }

  /** States handed out at some points of `ordered`: the state after its first `at` events. */
  private kept: { at: number; state: ReviewState }[] = [];

  /** An add failed midway: nothing more goes on the end (see addAll). */
  private broken = false;

  /**
   * The last probe's draft, with the state it was drawn from: the hub probes its own event and
   * adds it next, and the add takes this draft instead of drawing and applying the same again.
   */
  private probed: { id: string; base: ReviewState; draft: Draft } | null = null;

  /**
   * Folds a whole log. The last events are added on top of the fold of the rest, where they can
   * go on the end, so that states before them are kept for late events (see SPAN); the result is
   * the same either way (fold-incremental.test.ts).
   */
  static of(reviewId: string, events: VerifiedEvent[], earlierRejections: Rejection[] = [], options: FoldOptions = {}): Folded {
    const waiting: ReviewState['waiting'] = [];
    const seen = new Set<string>();
    const horizon = (options.now ?? Infinity) + MAX_CLOCK_SKEW_MS;
    const ordered: VerifiedEvent[] = [];
    for (const event of [...events].sort(orderEvents)) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      // A stamp far in the future (a wrong clock, or an attempt to freeze the review) waits.
      const t = event.payload.hlc.t;
      if (t > horizon) waiting.push({ id: event.id, by: event.payload.by, until: t - MAX_CLOCK_SKEW_MS });
      else ordered.push(event);
    }
    const span = options.span ?? spanFor(ordered.length);
    const grows = options.span === undefined;
    const split = ordered.length - span * KEPT;
    if (split > 0) {
      const head = Folded.inPlace(reviewId, ordered.slice(0, split), earlierRejections, waiting, span, grows);
      let added = true;
      for (let k = split; added && k < ordered.length; k += span) added = head.addAll(ordered.slice(k, k + span), options.now);
      if (added) return head;
    }
    return Folded.inPlace(reviewId, ordered, earlierRejections, waiting, span, grows);
  }

  /** The fold proper, over events in order: each applied to one state that it changes in place. */
  private static inPlace(reviewId: string, ordered: VerifiedEvent[], earlierRejections: Rejection[], waiting: ReviewState['waiting'], span: number, grows: boolean): Folded {
    const state: ReviewState = {
      id: reviewId,
      meta: null,
      members: {},
      period: null,
      periodHistory: [],
      threads: [],
      rejected: [...earlierRejections],
      waiting: [...waiting],
      forks: [],
      clock: undefined,
    };
    const byId = new Map(ordered.map((e) => [e.id, e]));
    // Computed once: a key is a new string, and hashing it for the maps costs as much again.
    const keys = ordered.map(forkKey);
    state.forks = forksOf(ordered, keys);
    const admitted = admissions(reviewId, ordered, byId);
    const ctx: Context = { state, threads: new Map(), comments: new Map() };

    ordered.forEach((event, index) => {
      const p = event.payload;
      const prev = p.prev === null ? undefined : byId.get(p.prev);
      let reason: string | undefined;
      if (prev && prev.payload.by !== p.by) reason = REASONS.foreignPrev;
      else if (admitted.cut(event, index)) {
        reason = REASONS.removed;
        withhold(ctx, event);
      } else reason = apply(ctx, event, admitted.laterMember(p.by, index));
      record(state, event, reason);
    });
    const forkKeys = new Set(keys);
    const threadAt = indexThreads(state.threads, new Map());
    const named = new Map<string, number>();
    for (const event of ordered) countNamed(named, event, 1);
    return new Folded(reviewId, state, ctx, byId, forkKeys, threadAt, ordered.at(-1) ?? null, named, [...ordered], span, grows, earlierRejections.length);
  }

  /** The folded state: never changed by later adds. */
  get state(): ReviewState {
    return this.current;
  }

  /**
   * The tips of an author's history among the events that applied: those no other applied event of
   * theirs names as `prev`. A removal names them all, so that every event of theirs that counted
   * still counts, on every branch, and nothing they write afterwards does. Asked of the fold rather
   * than kept in the state: a list of every applied event, copied into each new state, made every
   * event cost time in proportion to the history (issue 14), for what only a removal reads.
   */
  headsOf(author: string): string[] {
    const mine = this.applied().filter((e) => e.by === author);
    const named = new Set(mine.map((e) => e.prev));
    return mine.filter((e) => !named.has(e.id)).map((e) => e.id);
  }

  /**
   * Every event that applied, in fold order, with its chain link: the events folded less those the
   * fold set aside. (An envelope that failed its checks may carry the id of one that applied: the
   * same text under a bad signature. Only the fold's own refusals count here.)
   */
  applied(): { id: string; by: string; prev: string | null }[] {
    const refused = new Set(this.current.rejected.slice(this.envelopeFailures).map((r) => r.id));
    return this.ordered.filter((e) => !refused.has(e.id)).map((e) => ({ id: e.id, by: e.payload.by, prev: e.payload.prev }));
  }

  /** Whether an event that waited (stamped ahead of this clock) may apply by `now`: only a whole fold places it. */
  comesDue(now: number): boolean {
    return this.current.waiting.some((w) => w.until <= now);
  }

  /**
   * Adds one more event, if it can go on the end (see the class comment). True when it was folded
   * (applied, set aside, or already there); false when the whole log must be folded instead.
   */
  add(event: VerifiedEvent, now = Infinity): boolean {
    return this.addAll([event], now);
  }

  /**
   * Adds events in this order while each can go on the end, all on one new state: a copy of the
   * state per event made a newcomer's 7,000 events cost 7,000 copies of 10,000 threads. True when
   * all were folded; false when the whole log must be folded instead.
   */
  addAll(events: VerifiedEvent[], now = Infinity): boolean {
    let draft: Draft | null = null;
    const held = this.ordered.length; // what the current state holds: nothing is pushed before the draft
    const probed = this.probed;
    this.probed = null;
    let all = true;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (this.byId.has(event.id)) continue;
      if (!this.goesOnEnd(event, now, draft?.state ?? this.current)) {
        all = false;
        // One that sorts before the newest folded: folded again from the kept state before it.
        if (this.fits(event, now, draft?.state ?? this.current)) {
          this.commit(draft);
          return this.rewind(events.slice(i), now);
        }
        break;
      }
      try {
        // The probe's draft holds this event applied to the current state already.
        if (!draft && probed?.id === event.id && probed.base === this.current) draft = probed.draft;
        else this.extend((draft ??= this.draft()), event);
      } catch (error) {
        // The maps already name events whose effects are not committed: only a whole fold now.
        // The folded list goes back to what the state holds: headsOf and applied read it meanwhile.
        this.broken = true;
        this.ordered.length = held;
        throw error;
      }
      this.byId.set(event.id, event);
      this.forkKeys.add(forkKey(event));
      countNamed(this.named, event, 1);
      this.last = event;
      this.ordered.push(event);
    }
    this.commit(draft);
    return all;
  }

  private commit(draft: Draft | null): void {
    if (!draft) return;
    draft.cow.commit();
    const { state, base } = draft;
    // The draft's list holds what it set aside (see draft): joined to the base's once, here.
    state.rejected = joined(base.rejected, state.rejected);
    this.ctx.state = draft.state;
    this.current = draft.state;
    this.keep();
  }

  /** Keeps the state now if `span` events came since the last one kept. */
  private keep(): void {
    const last = this.kept.at(-1);
    // A review opened small and grown since keeps its states as far apart as a fold of it now
    // would: 16 apart, the last ones would reach back only 128 events.
    if (this.spanGrows) this.span = Math.max(this.span, spanFor(this.ordered.length));
    if (last && this.ordered.length - last.at < this.span) return;
    this.kept.push({ at: this.ordered.length, state: this.current });
    if (this.kept.length > KEPT + 1) this.kept.shift();
  }

  /**
   * Goes back to the last kept state before `events[0]` (which sorts before the newest folded),
   * and adds from there the events folded after it and `events`, in order. False when no state
   * is kept that far back, or something in them reaches back (the whole log is folded instead).
   */
  private rewind(events: VerifiedEvent[], now: number): boolean {
    const late = events[0];
    let k = this.kept.length - 1;
    while (k >= 0 && this.kept[k].at > 0 && orderEvents(this.ordered[this.kept[k].at - 1], late) > 0) k--;
    if (k < 0 || this.kept[k].at === 0) return false;
    const { at, state } = this.kept[k];
    this.kept.length = k + 1;
    const undone = this.ordered.splice(at);
    for (const event of undone) {
      this.byId.delete(event.id);
      this.forkKeys.delete(forkKey(event));
      countNamed(this.named, event, -1);
    }
    this.last = this.ordered.at(-1) ?? null;
    // The working maps as they were at that state (states handed out never change).
    this.current = this.ctx.state = state;
    this.ctx.threads = new Map(state.threads.map((t) => [t.id, t]));
    this.ctx.comments = new Map(state.threads.flatMap((thread) => thread.comments.map((comment) => [comment.id, { comment, thread }] as const)));
    indexThreads(state.threads, this.threadAt);
    return this.addAll([...undone, ...events].sort(orderEvents), now);
  }

  /**
   * Why this event would be set aside, null when it would apply, undefined when only a whole fold
   * can tell. Changes nothing.
   */
  probe(event: VerifiedEvent, now = Infinity): string | null | undefined {
    // Already folded: appending it again changes nothing, and it keeps the outcome it had.
    if (this.byId.has(event.id)) return this.current.rejected.find((r) => r.id === event.id)?.reason ?? null;
    if (!this.goesOnEnd(event, now, this.current)) return undefined;
    const draft = this.draft();
    const reason = this.extend(draft, event);
    this.probed = { id: event.id, base: this.current, draft };
    return reason ?? null;
  }

  private goesOnEnd(event: VerifiedEvent, now: number, state: ReviewState): boolean {
    return !(this.last && orderEvents(event, this.last) <= 0) && this.fits(event, now, state);
  }

  /** Whether the event could go on the end but for its order. */
  private fits(event: VerifiedEvent, now: number, state: ReviewState): boolean {
    if (this.broken) return false;
    const p = event.payload;
    if (!state.meta || (REACHES_BACK.has(p.e.type) && !(p.e.type === 'role.grant' && this.isNewcomer(p.e.subject, state)))) return false;
    if (p.hlc.t > now + MAX_CLOCK_SKEW_MS) return false;
    if (this.comesDue(now)) return false;
    if (this.forkKeys.has(forkKey(event))) return false;
    // An event already folded names this one: its predecessor, or a link of a removal's chain, has
    // just arrived, and what that event counts as may change.
    return !this.named.has(event.id);
  }

  /**
   * Whether nothing in the log is by this key, folded or waiting. A grant reaches back only to its
   * subject's earlier events (written before it arrived, they count as a member's: see admissions);
   * a grant to a key with none, the chair admitting someone new, goes on the end like a comment.
   * Scans the log: grants are few, and a whole fold of a large review costs far more.
   */
  private isNewcomer(key: string, state: ReviewState): boolean {
    return !state.waiting.some((w) => w.by === key) && !this.ordered.some((e) => e.payload.by === key);
  }

  /**
   * A new state to add events to, leaving the current one as it is. Its `rejected` holds only what
   * the draft sets aside until it is committed: a copy of a long list per event is a large
   * allocation (a probe made one for nothing).
   */
  private draft(): Draft {
    const base = this.current;
    const members: ReviewState['members'] = {};
    for (const key of Object.keys(base.members)) members[key] = { ...base.members[key] };
    const state: ReviewState = {
      ...base,
      members,
      threads: base.threads.slice(),
      periodHistory: base.periodHistory.slice(),
      rejected: [],
    };
    return { state, base, cow: new CopyOnWrite(state, this.ctx, this.threadAt) };
  }

  /** Applies an event that goes on the end to the draft; the reason it was set aside, if it was. */
  private extend({ state, cow }: Draft, event: VerifiedEvent): string | undefined {
    const p = event.payload;
    const prev = p.prev === null ? undefined : this.byId.get(p.prev);
    // Nothing after this event can admit its author or cut it: it is the last (see admissions).
    const reason = prev && prev.payload.by !== p.by ? REASONS.foreignPrev : apply(cow.context, event, false);
    record(state, event, reason);
    return reason;
  }
}

interface Draft {
  state: ReviewState;
  /** The state it started from (see commit). */
  base: ReviewState;
  cow: CopyOnWrite;
}

/** An event's outcome in the state: applied (moving the clock), or set aside with its reason. */
function record(state: ReviewState, event: VerifiedEvent, reason: string | undefined): void {
  const p = event.payload;
  if (reason) state.rejected.push({ id: event.id, by: p.by, reason });
  // Only an event that counts moves the clock: one set aside must not push every later stamp.
  else if (!state.clock || compareHlc(p.hlc, state.clock) > 0) state.clock = p.hlc;
}

/** The ids an event names: its predecessor, and for a removal the events it keeps. */
function namedBy(event: VerifiedEvent): readonly string[] {
  const p = event.payload;
  if (p.e.type === 'role.revoke') return p.prev === null ? p.e.upTo : [p.prev, ...p.e.upTo];
  return p.prev === null ? NONE : [p.prev];
}
const NONE: readonly string[] = [];

/** Counts (`by` 1) or uncounts (-1) the ids an event names. */
function countNamed(named: Map<string, number>, event: VerifiedEvent, by: 1 | -1): void {
  for (const id of namedBy(event)) {
    const n = (named.get(id) ?? 0) + by;
    if (n > 0) named.set(id, n);
    else named.delete(id);
  }
}

/** `into`, emptied, then each thread's index in the list. */
function indexThreads(threads: Thread[], into: Map<string, number>): Map<string, number> {
  into.clear();
  threads.forEach((t, i) => into.set(t.id, i));
  return into;
}

/** A base list with what a draft added after it; the base itself (never pushed to) when nothing was. */
function joined<T>(base: T[], added: T[]): T[] {
  return added.length ? base.concat(added) : base;
}

const forkKey = (event: VerifiedEvent) => `${event.payload.by} ${event.payload.prev ?? ''}`;

/**
 * The fold's context for one added event, over a new state: a thread the event reads is copied
 * (with its comment and history lists, and the comment it changes) before the event can change it,
 * so that the states handed out before stay as they were.
 */
class CopyOnWrite {
  private copied = new Map<string, Thread>();
  private added = new Map<string, Thread>();
  private newComments = new Map<string, { comment: Comment; thread: Thread }>();
  readonly context: Context;

  /** Threads the events add go on the end of the list, from here. */
  private readonly from: number;

  constructor(
    private state: ReviewState,
    private base: Context,
    private threadAt: Map<string, number>,
  ) {
    this.from = state.threads.length;
    this.context = {
      state,
      threads: { get: (id) => this.thread(id), set: (id, thread) => void this.added.set(id, thread) },
      comments: { get: (id) => this.comment(id), set: (id, entry) => void this.newComments.set(id, entry) },
    };
  }

  private thread(id: string): Thread | undefined {
    const added = this.added.get(id);
    if (added) return added;
    const copied = this.copied.get(id);
    if (copied) return copied;
    const original = this.base.threads.get(id);
    const at = this.threadAt.get(id);
    if (!original || at === undefined) return undefined;
    const copy = { ...original, comments: original.comments.slice(), history: original.history.slice() };
    this.copied.set(id, copy);
    this.state.threads[at] = copy;
    return copy;
  }

  private comment(id: string): { comment: Comment; thread: Thread } | undefined {
    const fresh = this.newComments.get(id);
    if (fresh) return fresh;
    const entry = this.base.comments.get(id);
    const thread = entry && this.thread(entry.thread.id);
    if (!thread) return undefined;
    const at = thread.comments.findIndex((c) => c.id === id);
    if (at < 0) return undefined;
    const comment = { ...thread.comments[at] };
    thread.comments[at] = comment;
    return { comment, thread };
  }

  /** Makes the copies (and the threads and comments the event added) the ones later events see. */
  commit(): void {
    for (const [id, thread] of [...this.copied, ...this.added]) this.base.threads.set(id, thread);
    for (let at = this.from; at < this.state.threads.length; at++) this.threadAt.set(this.state.threads[at].id, at);
    // A comment is found through its thread's id (see comment()): the entry's objects may be old.
    for (const [id, entry] of this.newComments) this.base.comments.set(id, entry);
  }
}

/** Two events of one author naming the same predecessor: a history rewritten, shown to the chair. */
function forksOf(ordered: VerifiedEvent[], keys: string[]): Fork[] {
  // Nearly every key occurs once: a list only for those that occur again.
  const first = new Map<string, number>();
  const again = new Map<string, VerifiedEvent[]>();
  keys.forEach((key, i) => {
    const at = first.get(key);
    if (at === undefined) return void first.set(key, i);
    const list = again.get(key);
    if (list) list.push(ordered[i]);
    else again.set(key, [ordered[at], ordered[i]]);
  });
  return [...again]
    .sort(([a], [b]) => first.get(a)! - first.get(b)!)
    .map(([, list]) => ({ by: list[0].payload.by, prev: list[0].payload.prev, events: list.map((e) => e.id) }));
}

/** The given events and their predecessors by the same author, as far back as the log holds them. */
function chainsOf(heads: string[], author: string, byId: Map<string, VerifiedEvent>): Set<string> {
  const chain = new Set<string>();
  for (const head of heads) {
    let id: string | null = head;
    while (id !== null && !chain.has(id)) {
      const event = byId.get(id);
      if (!event || event.payload.by !== author) break;
      chain.add(id);
      id = event.payload.prev;
    }
  }
  return chain;
}

/**
 * Who is admitted when. A member may write before the chair's grant reaches them (peers sync
 * whenever they happen to be online together), so an event from a key with no role yet counts
 * as a member's if the key's next role change, later in the log, makes it a member. Chair powers
 * are never backdated: they hold only from the grant on.
 *
 * A removal names the removed member's last event that counts; every other event of theirs
 * ordered before it is cut, whatever its clock says, so nobody can write "earlier" once removed.
 */
function admissions(reviewId: string, ordered: VerifiedEvent[], byId: Map<string, VerifiedEvent>) {
  const changes = new Map<string, { index: number; role: string }[]>();
  const removals = new Map<string, { index: number; kept: Set<string> }[]>();
  const chairs = new Set<string>();
  let creator: string | null = null;
  const change = (subject: string, index: number, role: string) => {
    const list = changes.get(subject) ?? [];
    list.push({ index, role });
    changes.set(subject, list);
  };
  ordered.forEach((event, index) => {
    const p = event.payload;
    // A grant the fold will refuse for its chain must not admit anyone here either.
    const prev = p.prev === null ? undefined : byId.get(p.prev);
    if (prev && prev.payload.by !== p.by) return;
    if (p.e.type === 'review.create' && !creator && event.keyId === creatorKeyIdOf(reviewId)) {
      creator = p.by;
      chairs.add(p.by);
      change(p.by, index, 'chair');
    } else if (!chairs.has(p.by) || (p.e.type !== 'role.grant' && p.e.type !== 'role.revoke') || p.e.subject === creator) {
      return;
    } else if (p.e.type === 'role.grant') {
      if (p.e.role === 'chair') chairs.add(p.e.subject);
      else chairs.delete(p.e.subject);
      change(p.e.subject, index, p.e.role);
    } else if (p.e.type === 'role.revoke') {
      chairs.delete(p.e.subject);
      change(p.e.subject, index, 'none');
      const list = removals.get(p.e.subject) ?? [];
      list.push({ index, kept: chainsOf(p.e.upTo, p.e.subject, byId) });
      removals.set(p.e.subject, list);
    }
  });
  return {
    laterMember(key: string, index: number): boolean {
      const next = changes.get(key)?.find((c) => c.index > index);
      return !!next && next.role !== 'none' && !(changes.get(key) ?? []).some((c) => c.index < index);
    },
    cut(event: VerifiedEvent, index: number): boolean {
      const list = removals.get(event.payload.by);
      return !!list && list.some((r) => r.index > index && !r.kept.has(event.id));
    },
  };
}

/** What the fold reads and writes while applying events (plain maps, or copies: see CopyOnWrite). */
interface Lookup<T> {
  get(id: string): T | undefined;
  set(id: string, value: T): void;
}

interface Context {
  state: ReviewState;
  threads: Lookup<Thread>;
  comments: Lookup<{ comment: Comment; thread: Thread }>;
}

/** Applies one event; returns why it was set aside, or undefined when it applied. */
function apply(ctx: Context, event: VerifiedEvent, laterMember: boolean): string | undefined {
  const { state } = ctx;
  const p = event.payload;
  const e = p.e;
  if (e.type === 'review.create') return create(state, event, e);
  if (!state.meta) return REASONS.notCreated;
  let role = state.members[p.by]?.role ?? 'none';
  // Written before the grant arrived: a member's event all the same (see admissions).
  const early = role === 'none' && laterMember && (e.type === 'profile.set' || e.type.startsWith('comment.') || e.type === 'thread.reopen');
  if (early) role = 'member';
  if (role === 'none') return REASONS.notMember;
  const reason = applyAs(ctx, event, role === 'chair');
  // Only an event that applied says anything about its author.
  if (!reason && early) state.members[p.by] ??= { key: p.by, keyId: event.keyId, name: '', role: 'none' };
  if (!reason) state.members[p.by].keyId ||= event.keyId; // grants name a key; its id is known once it signs
  return reason;
}

function applyAs(ctx: Context, event: VerifiedEvent, isChair: boolean): string | undefined {
  const { state, threads, comments } = ctx;
  const p = event.payload;
  const e = p.e;
  switch (e.type) {
    case 'review.create':
      return REASONS.alreadyCreated; // handled before; kept for the switch to be exhaustive
    case 'profile.set':
      if (state.members[p.by]) state.members[p.by].name = e.name;
      else state.members[p.by] = { key: p.by, keyId: event.keyId, name: e.name, role: 'none' };
      return;
    case 'role.grant':
    case 'role.revoke': {
      if (!isChair) return 'only a chair can change roles';
      if (e.subject === state.meta!.createdBy) return "the review's creator stays chair";
      const existing = state.members[e.subject];
      const member = { key: e.subject, keyId: existing?.keyId ?? '', name: existing?.name ?? '', role: existing?.role ?? ('none' as const) };
      if (e.type === 'role.grant') {
        state.members[e.subject] = { ...member, name: e.name ?? member.name, role: e.role };
      } else {
        state.members[e.subject] = { ...member, role: 'none', removed: { at: p.hlc.t, by: p.by, upTo: e.upTo } };
      }
      return;
    }
    case 'period.set': {
      if (!isChair) return 'only a chair can set the review period';
      if (e.opens && e.closes && Date.parse(e.closes) <= Date.parse(e.opens)) return 'the period closes before it opens';
      const period = { opens: e.opens, closes: e.closes, late: e.late ?? true, reason: e.reason ?? '', setBy: p.by, at: p.hlc.t, eventId: event.id };
      state.period = period;
      state.periodHistory.push(period);
      return;
    }
    case 'comment.add':
      return addComment(ctx, event, e, isChair);
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
        found.comment.deletedAt = p.hlc.t;
        found.comment.body = '';
        delete found.comment.proposal;
      }
      // A change after the chair decided is part of the thread's record, not a silent rewrite.
      if (found.thread.status === 'resolved') {
        found.thread.history.push({ eventId: event.id, at: p.hlc.t, by: p.by, action: e.type === 'comment.edit' ? 'edited' : 'deleted', comment: e.comment });
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
      thread.history.push({ eventId: event.id, at: p.hlc.t, by: p.by, action: 'resolved', disposition: e.disposition, note: e.note });
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
      thread.history.push({ eventId: event.id, at: p.hlc.t, by: p.by, action: 'reopened', note: e.note });
      return;
    }
  }
}

/**
 * A thread started by an event a removal cut keeps its place, its text withheld: others' replies
 * and the chair's decisions on it are theirs, and stay in the record.
 */
function withhold(ctx: Context, event: VerifiedEvent): void {
  const p = event.payload;
  if (p.e.type !== 'comment.add' || p.e.thread !== undefined || !p.e.anchor || !ctx.state.meta) return;
  const comment: Comment = { id: event.id, author: p.by, createdAt: p.hlc.t, body: '', deleted: true, withheld: true, late: false };
  const thread: Thread = { id: event.id, anchor: p.e.anchor, author: p.by, createdAt: p.hlc.t, comments: [comment], status: 'open', history: [] };
  ctx.threads.set(thread.id, thread);
  ctx.state.threads.push(thread);
  ctx.comments.set(comment.id, { comment, thread });
}

function create(state: ReviewState, event: VerifiedEvent, e: Extract<EventBody, { type: 'review.create' }>): string | undefined {
  const p = event.payload;
  if (state.meta) return REASONS.alreadyCreated;
  if (event.keyId !== creatorKeyIdOf(state.id)) return REASONS.notCreator;
  state.meta = { title: e.title, url: e.url, canonical: e.canonical, fingerprint: e.fingerprint, group: e.group, createdBy: p.by, createdAt: p.hlc.t, eventId: event.id };
  const existing = state.members[p.by];
  state.members[p.by] = { key: p.by, keyId: event.keyId, name: existing?.name ?? '', role: 'chair' };
  return;
}

function addComment(ctx: Context, event: VerifiedEvent, e: Extract<EventBody, { type: 'comment.add' }>, isChair: boolean): string | undefined {
  const { state, threads, comments } = ctx;
  const p = event.payload;
  const closes = state.period?.closes ? Date.parse(state.period.closes) : Infinity;
  const late = p.hlc.t > closes;
  if (late && !state.period!.late && !isChair) return 'the review period has closed';
  const comment: Comment = {
    id: event.id,
    author: p.by,
    createdAt: p.hlc.t,
    body: e.body,
    deleted: false,
    late,
    ...(e.category !== undefined ? { category: e.category } : {}),
    ...(e.proposal !== undefined ? { proposal: e.proposal } : {}),
  };
  let thread: Thread | undefined;
  if (e.thread === undefined) {
    if (!e.anchor) return 'a new thread needs an anchor';
    thread = { id: event.id, anchor: e.anchor, author: p.by, createdAt: p.hlc.t, comments: [], status: 'open', history: [] };
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
