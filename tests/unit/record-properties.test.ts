/**
 * Properties of the record (issue 10, item 8), over many generated cases (fast-check):
 * - replicas that receive the same events in any order, any number of times, with any of them
 *   deleted from the shared document, or swapped for a malformed copy (a field more), along the
 *   way, fold to the same state as the whole log;
 * - nothing one member signs removes or alters another author's event.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { VerifiedRecord } from '../../lib/hub/record';
import { ReviewWrites } from '../../lib/store';
import { DISPOSITIONS, eventLog, ReviewReplica, signEvent, type Envelope, type EventBody, type ReviewState } from '../../lib/review';
import { anchor, emit, foldEnvelopes, freshDb, idOf, scenario, shuffle } from './helpers';

/** A state as compared: the malformed copies a hostile peer leaves in the log are set aside as such, and counted nowhere else. */
const comparable = (s: ReviewState) => JSON.parse(JSON.stringify({ ...s, rejected: s.rejected.filter((r) => r.reason !== 'not an event envelope') }));

/** A small busy review: threads, replies, edits, a deletion, a resolution, a period. */
async function busy() {
  const s = await scenario();
  const { chair, member, reviewId } = s;
  const c1 = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('framework'), body: 'Too vague.' }, 2_000);
  const t1 = await idOf(c1);
  const c2 = await emit(chair, reviewId, { type: 'comment.add', anchor: anchor('scope'), body: 'Chair note' }, 2_050);
  const events = [
    ...s.base,
    c1,
    c2,
    await emit(chair, reviewId, { type: 'comment.add', thread: t1, body: 'Which part?' }, 2_100),
    await emit(member, reviewId, { type: 'comment.edit', comment: t1, body: 'Too vague in §2.' }, 2_200),
    await emit(chair, reviewId, { type: 'period.set', opens: null, closes: '2026-12-01T00:00:00Z' }, 2_300),
    await emit(chair, reviewId, { type: 'thread.resolve', thread: t1, disposition: 'accepted-with-changes', note: 'Reworded.' }, 2_400),
    await emit(member, reviewId, { type: 'comment.delete', comment: t1 }, 2_500),
  ];
  return { ...s, events, threads: [t1, await idOf(c2)] };
}

/** One envelope as the Yjs update a peer would send when it appends it. */
function updateOf(envelope: Envelope): Uint8Array {
  const doc = new Y.Doc();
  eventLog(doc).push([envelope]);
  return Y.encodeStateAsUpdate(doc);
}

/**
 * An honest hub's view of a review: its document, its fold, and its kept record putting back
 * deletions and letting go of what the checks set aside, wired as the hub wires them.
 */
async function honestReplica(reviewId: string) {
  const doc = new Y.Doc();
  const db = freshDb();
  const record = await VerifiedRecord.load(db, reviewId, new ReviewWrites(db, reviewId, (job) => job()));
  const letGo = (raw: unknown) => void record.forget(raw);
  const replica = new ReviewReplica(doc, reviewId, { onVerified: (e) => record.keep(e), onRefuted: letGo, onRejected: letGo });
  replica.subscribe(() => record.heal(doc, 'heal'));
  return { doc, replica };
}

type Step =
  | { kind: 'deliver'; replica: number; event: number }
  | { kind: 'delete'; replica: number; from: number; count: number }
  | { kind: 'mangle'; replica: number; at: number }
  | { kind: 'sync'; a: number; b: number };

describe('record properties', () => {
  it('any order, duplication, deletion and malformed copies of delivered updates fold to the same state on every replica', async () => {
    const { events, reviewId } = await busy();
    const reference = comparable(await foldEnvelopes(reviewId, events));
    const updates = events.map(updateOf);
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('deliver' as const), replica: fc.nat(2), event: fc.nat(events.length - 1) }),
      fc.record({ kind: fc.constant('delete' as const), replica: fc.nat(2), from: fc.nat(12), count: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('mangle' as const), replica: fc.nat(2), at: fc.nat(12) }),
      fc.record({ kind: fc.constant('sync' as const), a: fc.nat(2), b: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), fc.array(fc.nat(events.length - 1), { maxLength: 10 }), fc.nat(), async (steps, extra, seed) => {
        const replicas = await Promise.all([0, 1, 2].map(() => honestReplica(reviewId)));
        // Every event reaches some replica at least once (that is what "delivered" means)…
        const script: Step[] = [...steps, ...events.map((_, i) => ({ kind: 'deliver' as const, replica: i % 3, event: i })), ...extra.map((i) => ({ kind: 'deliver' as const, replica: 0, event: i }))];
        for (const s of shuffle(script, seed)) {
          if (s.kind === 'deliver') Y.applyUpdate(replicas[s.replica].doc, updates[s.event]);
          else if (s.kind === 'delete') {
            const log = eventLog(replicas[s.replica].doc);
            if (s.from < log.length) log.delete(s.from, Math.min(s.count, log.length - s.from));
          } else if (s.kind === 'mangle') {
            // The entry swapped for a copy of its text and signature with a field more.
            const { doc } = replicas[s.replica];
            const log = eventLog(doc);
            if (s.at < log.length) {
              const copy = { ...(log.get(s.at) as object), x: 1 };
              doc.transact(() => {
                log.delete(s.at, 1);
                log.insert(s.at, [copy]);
              });
            }
          } else Y.applyUpdate(replicas[s.b].doc, Y.encodeStateAsUpdate(replicas[s.a].doc));
          await Promise.all(replicas.map((r) => r.replica.settled()));
        }
        // …and then the replicas meet, each passing on its deletions and its repairs.
        for (let round = 0; round < 3; round++) {
          for (const a of replicas) for (const b of replicas) if (a !== b) Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(a.doc));
          await Promise.all(replicas.map((r) => r.replica.settled()));
        }
        for (const r of replicas) expect(comparable(await r.replica.settled())).toEqual(reference);
      }),
      { numRuns: 40 },
    );
  }, 60_000); // 40 generated runs of three replicas: seconds on a quiet machine, more on a busy one

  it("no sequence of one member's signed events removes or alters another author's event", async () => {
    const { events, reviewId, member, chair, threads } = await busy();
    const honest = await foldEnvelopes(reviewId, events);
    const knownIds = [...threads, ...(await Promise.all(events.map(idOf)))];
    const hostileBody: fc.Arbitrary<EventBody> = fc.oneof(
      fc.record({ type: fc.constant('comment.edit' as const), comment: fc.constantFrom(...knownIds), body: fc.constantFrom('hijacked', 'x') }),
      fc.record({ type: fc.constant('comment.delete' as const), comment: fc.constantFrom(...knownIds) }),
      fc.record({ type: fc.constant('thread.resolve' as const), thread: fc.constantFrom(...knownIds), disposition: fc.constantFrom(...DISPOSITIONS), note: fc.constant('') }),
      fc.record({ type: fc.constant('thread.reopen' as const), thread: fc.constantFrom(...knownIds) }),
      fc.record({ type: fc.constant('role.grant' as const), subject: fc.constantFrom(chair.identity.publicKey, member.identity.publicKey), role: fc.constantFrom('chair' as const, 'member' as const) }),
      fc.record({ type: fc.constant('role.revoke' as const), subject: fc.constant(chair.identity.publicKey), upTo: fc.constant<string[]>([]) }),
      fc.record({ type: fc.constant('period.set' as const), opens: fc.constant(null), closes: fc.constant('2026-01-01T00:00:00Z') }),
      fc.record({ type: fc.constant('review.create' as const), title: fc.constant('Mine'), url: fc.constant('u'), canonical: fc.constant('u') }),
      fc.record({ type: fc.constant('comment.add' as const), thread: fc.constantFrom(...knownIds), body: fc.constant('noise') }),
    );
    const hostileEvent = fc.record({ body: hostileBody, t: fc.integer({ min: 0, max: 5_000 }), c: fc.nat(3), prev: fc.option(fc.constantFrom(...knownIds), { nil: null }) });
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent, { minLength: 1, maxLength: 8 }), async (attack) => {
        const signed = await Promise.all(attack.map((a) => signEvent(member.identity, reviewId, a.body, { t: a.t, c: a.c }, a.t, a.prev)));
        const attacked = await foldEnvelopes(reviewId, [...events, ...signed]);
        // Every event of another author that counted still counts…
        const refused = new Set(attacked.rejected.map((r) => r.id));
        for (const e of events) {
          const id = await idOf(e);
          if (JSON.parse(e.p).by !== member.identity.publicKey && !honest.rejected.some((r) => r.id === id)) expect(refused.has(id)).toBe(false);
        }
        // …and what others wrote and decided reads the same.
        const others = (s: ReviewState) =>
          s.threads.map((t) => ({
            id: t.id,
            comments: t.comments.filter((c) => c.author !== member.identity.publicKey),
            decisions: t.history.filter((h) => h.by !== member.identity.publicKey),
          }));
        const before = others(honest);
        const after = others(attacked).filter((t) => before.some((b) => b.id === t.id));
        expect(after).toEqual(before);
        expect(attacked.meta).toEqual(honest.meta);
        expect(attacked.members[chair.identity.publicKey].role).toBe('chair');
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
