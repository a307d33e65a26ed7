import { generateIdentity, type Identity } from '../../lib/identity';
import { eventIdOf, fold, Folded, newReviewId, signEvent, type Envelope, type EventBody, checkEnvelope, type VerifiedEvent, type Rejection } from '../../lib/review';
import { MarginsDB } from '../../lib/store';
import { rng } from '../../bench/support';

let dbCounter = 0;
/** A fresh database in fake-indexeddb (real Dexie on top). */
export function freshDb(): MarginsDB {
  return new MarginsDB(`test-${process.pid}-${++dbCounter}-${Math.random()}`);
}

/**
 * Makes writes to `db` fail as on a full disk while `fails(table)` says so: a real Dexie middleware
 * over the real store, so the code under test meets the error the browser would give.
 */
export function failWritesWhen(db: MarginsDB, fails: (table: string) => boolean): void {
  db.use({
    stack: 'dbcore',
    name: 'failing-disk',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (req) => (fails(name) ? Promise.reject(Object.assign(new Error('disk full'), { name: 'QuotaExceededError' })) : table.mutate(req)),
        };
      },
    }),
  });
}

/** The read-write transactions `db` starts from now on, each as its tables joined by "+", in order. */
export function logWriteTransactions(db: MarginsDB): string[] {
  const log: string[] = [];
  db.use({
    stack: 'dbcore',
    name: 'write-transactions',
    create: (down) => ({
      ...down,
      transaction: (tables, mode, options) => {
        if (mode === 'readwrite') log.push([...tables].sort().join('+'));
        return down.transaction(tables, mode, options);
      },
    }),
  });
  return log;
}

export interface Actor {
  identity: Identity;
  clock: { t: number; c: number } | undefined;
  /** The actor's latest event per review: the next one names it (their hash chain). */
  heads: Map<string, string>;
}

export async function actor(): Promise<Actor> {
  return { identity: await generateIdentity(), clock: undefined, heads: new Map() };
}

/**
 * Signs an event at a given wall time (ms), advancing the actor's own clock and chain like a
 * replica would; `prev` overrides the chain (forks, backdating).
 */
export async function emit(a: Actor, reviewId: string, body: EventBody, t: number, prev?: string | null): Promise<Envelope> {
  const env = await signEvent(a.identity, reviewId, body, a.clock, t, prev === undefined ? (a.heads.get(reviewId) ?? null) : prev);
  a.clock = JSON.parse(env.p).hlc;
  a.heads.set(reviewId, await eventIdOf(env.p));
  return env;
}

/** The id an envelope's event has (SHA-256 of its payload). */
export const idOf = (env: Envelope) => eventIdOf(env.p);

/** A conformance vector (docs/conformance/, specified in docs/data-model.md). */
export interface ConformanceVector {
  name: string;
  description: string;
  review: string;
  /** The receiver's time, when the vector is about events that wait. */
  now?: number;
  envelopes: unknown[];
  /** The folded state, as JSON. */
  expected: unknown;
}

/** Each envelope checked as a replica would: the events that verify, and why the others did not. */
export async function checkEnvelopes(reviewId: string, envelopes: unknown[]): Promise<{ events: VerifiedEvent[]; rejections: Rejection[] }> {
  const events: VerifiedEvent[] = [];
  const rejections: Rejection[] = [];
  for (const e of envelopes) {
    const c = await checkEnvelope(e, reviewId);
    if (c.ok) events.push(c.event);
    else rejections.push(c.rejection);
  }
  return { events, rejections };
}

export async function foldEnvelopes(reviewId: string, envelopes: unknown[], options: { now?: number } = {}) {
  const { events, rejections } = await checkEnvelopes(reviewId, envelopes);
  return fold(reviewId, events, rejections, options);
}

/**
 * The folded state as the conformance vectors record it (docs/data-model.md): the state, with every
 * event that applied in fold order, which the fold is asked for (the state does not carry it).
 */
export async function conformanceState(reviewId: string, envelopes: unknown[], options: { now?: number } = {}) {
  const { events, rejections } = await checkEnvelopes(reviewId, envelopes);
  const folded = Folded.of(reviewId, events, rejections, options);
  const { clock, ...rest } = folded.state;
  return { ...rest, applied: folded.applied(), clock };
}

/**
 * A fault inside the fold (none is known): adding the event with this id throws, until the
 * returned function puts the fold back. For what a failed add leaves behind.
 */
export function foldThrowsOn(eventId: string): () => void {
  const proto = Folded.prototype as unknown as { extend: (draft: unknown, event: { id: string }) => unknown };
  const extend = proto.extend;
  proto.extend = function (this: Folded, draft, event) {
    if (event.id === eventId) throw new Error('boom');
    return extend.call(this, draft, event);
  };
  return () => void (proto.extend = extend);
}

export const anchor = (exact: string) => ({ quote: { type: 'TextQuoteSelector' as const, exact, prefix: '', suffix: '' } });

/** A review created by `chair`, with `member` granted the member role. */
export async function scenario() {
  const chair = await actor();
  const member = await actor();
  const outsider = await actor();
  const reviewId = newReviewId(chair.identity.keyId);
  const base = [
    await emit(chair, reviewId, { type: 'review.create', title: 'Proposal', url: 'http://x/d', canonical: 'http://x/d' }, 1000),
    await emit(chair, reviewId, { type: 'profile.set', name: 'Chair' }, 1001),
    await emit(chair, reviewId, { type: 'role.grant', subject: member.identity.publicKey, role: 'member', name: 'Member' }, 1002),
  ];
  return { chair, member, outsider, reviewId, base };
}

/** Deterministic shuffle (the benchmarks' seeded generator) so a failing order can be reproduced from its seed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const r = rng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Selects `start`–`end` of a text node in the page's own selection, as a reader's drag would (DOM tests only). */
export function selectIn(node: Node, start: number, end: number): Selection {
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, end);
  const selection = getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  return selection;
}
