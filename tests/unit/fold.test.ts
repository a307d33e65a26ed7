import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { eventLog, ReviewReplica, signEvent, type Envelope } from '../../lib/review';
import { anchor, emit, foldEnvelopes, idOf, scenario, shuffle } from './helpers';

/** Everything but the verification cache must be equal across replicas. */
const comparable = (s: Awaited<ReturnType<typeof foldEnvelopes>>) => JSON.parse(JSON.stringify({ ...s, rejected: s.rejected }));

async function busyReview() {
  const s = await scenario();
  const { chair, member, reviewId } = s;
  const c1 = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('programme framework'), body: 'Too vague.' }, 2000);
  const t1 = await idOf(c1);
  const events = [
    ...s.base,
    c1,
    await emit(chair, reviewId, { type: 'comment.add', thread: t1, body: 'Which part?' }, 2100),
    await emit(member, reviewId, { type: 'comment.edit', comment: t1, body: 'Too vague in §2.' }, 2200),
    await emit(chair, reviewId, { type: 'period.set', opens: '2026-11-01T00:00:00.000Z', closes: '2026-12-01T00:00:00.000Z' }, 2300),
    await emit(chair, reviewId, { type: 'thread.resolve', thread: t1, disposition: 'accepted-with-changes', note: 'Reworded.' }, 2400),
    await emit(member, reviewId, { type: 'comment.add', anchor: anchor('intersessional'), body: 'Typo' }, 2500),
  ];
  return { ...s, events, t1 };
}

describe('fold', () => {
  it('builds threads, replies, edits, periods and resolutions', async () => {
    const { events, reviewId, member, chair, t1 } = await busyReview();
    const state = await foldEnvelopes(reviewId, events);
    expect(state.rejected).toEqual([]);
    expect(state.meta?.title).toBe('Proposal');
    expect(state.members[chair.identity.publicKey]).toMatchObject({ role: 'chair', name: 'Chair' });
    expect(state.members[member.identity.publicKey]).toMatchObject({ role: 'member', name: 'Member' });
    expect(state.threads).toHaveLength(2);
    const thread = state.threads.find((t) => t.id === t1)!;
    expect(thread.comments.map((c) => c.body)).toEqual(['Too vague in §2.', 'Which part?']);
    expect(thread.comments[0].editedAt).toBe(2200);
    expect(thread).toMatchObject({ status: 'resolved', disposition: 'accepted-with-changes', note: 'Reworded.' });
    expect(state.period).toMatchObject({ closes: '2026-12-01T00:00:00.000Z' });
  });

  it('folds to the same state whatever the order and however often events arrive', async () => {
    const { events, reviewId } = await busyReview();
    const reference = comparable(await foldEnvelopes(reviewId, events));
    for (let seed = 1; seed <= 25; seed++) {
      const delivered = shuffle([...events, ...shuffle(events, seed * 7).slice(0, 4)], seed);
      expect(comparable(await foldEnvelopes(reviewId, delivered))).toEqual(reference);
    }
  });

  it('converges across Y.Doc replicas that receive updates in different orders', async () => {
    const { events, reviewId } = await busyReview();
    const source = events.map((e) => {
      const d = new Y.Doc();
      eventLog(d).push([e]);
      return Y.encodeStateAsUpdate(d);
    });
    const states = [];
    for (const seed of [3, 11, 42]) {
      const doc = new Y.Doc();
      for (const u of shuffle(source, seed)) Y.applyUpdate(doc, u);
      states.push(comparable(await new ReviewReplica(doc, reviewId).state()));
    }
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
  });

  it('settles concurrent resolve and reopen by clock order, on every replica', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const c = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'b' }, 2000);
    const thread = await idOf(c);
    const resolve1 = await emit(chair, reviewId, { type: 'thread.resolve', thread, disposition: 'noted', note: '' }, 3000);
    // Member saw the resolution and reopens; concurrently the chair re-resolves with a later clock.
    const reopen = await emit(member, reviewId, { type: 'thread.reopen', thread, note: 'Not addressed' }, 3001);
    const resolve2 = await emit(chair, reviewId, { type: 'thread.resolve', thread, disposition: 'not-accepted', note: 'Out of scope' }, 3002);
    for (const seed of [1, 2, 3]) {
      const state = await foldEnvelopes(reviewId, shuffle([...s.base, c, resolve1, reopen, resolve2], seed));
      const t = state.threads[0];
      expect(t).toMatchObject({ status: 'resolved', disposition: 'not-accepted' });
      expect(t.history.map((h) => h.action)).toEqual(['resolved', 'reopened', 'resolved']);
    }
    // And when the reopen is the later one, the thread ends open.
    const late = await emit(member, reviewId, { type: 'thread.reopen', thread }, 4000);
    const state = await foldEnvelopes(reviewId, [...s.base, c, resolve1, reopen, resolve2, late]);
    expect(state.threads[0].status).toBe('open');
    expect(state.threads[0].disposition).toBeUndefined();
  });

  it('keeps the later of two period changes, and both in the history', async () => {
    const s = await scenario();
    const { chair, reviewId } = s;
    const a = await emit(chair, reviewId, { type: 'period.set', opens: null, closes: '2026-12-01T00:00:00.000Z' }, 5000);
    const b = await emit(chair, reviewId, { type: 'period.set', opens: null, closes: '2026-12-15T00:00:00.000Z' }, 4000);
    // b was stamped after a on the same clock (the actor's clock only moves forward).
    const state = await foldEnvelopes(reviewId, [...s.base, b, a]);
    expect(state.period?.closes).toBe('2026-12-15T00:00:00.000Z');
    expect(state.periodHistory.map((p) => p.closes)).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-15T00:00:00.000Z']);
  });

  it('marks comments made after the period closed as late', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const closes = new Date(10_000).toISOString();
    const events = [
      ...s.base,
      await emit(chair, reviewId, { type: 'period.set', opens: null, closes }, 5000),
      await emit(member, reviewId, { type: 'comment.add', anchor: anchor('a'), body: 'in time' }, 9000),
      await emit(member, reviewId, { type: 'comment.add', anchor: anchor('b'), body: 'late' }, 11_000),
    ];
    const state = await foldEnvelopes(reviewId, events);
    expect(state.threads.map((t) => t.comments[0].late)).toEqual([false, true]);
  });
});

describe('fold: signatures and roles', () => {
  it('sets aside a forged event and keeps the rest', async () => {
    const { events, reviewId } = await busyReview();
    const honest = await foldEnvelopes(reviewId, events);
    const victim = events[4];
    const payload = JSON.parse(victim.p);
    payload.e.body = 'Forged text';
    const forged: Envelope = { p: JSON.stringify(payload), s: victim.s };
    const state = await foldEnvelopes(reviewId, [...events, forged]);
    expect(state.rejected).toEqual([expect.objectContaining({ id: await idOf(forged), reason: 'signature does not verify' })]);
    expect(JSON.stringify(state.threads)).toEqual(JSON.stringify(honest.threads));
  });

  it("refuses a member resolving, reopening or editing someone else's thread", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const mine = await emit(chair, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'chair note' }, 2000);
    const thread = await idOf(mine);
    const resolve = await emit(member, reviewId, { type: 'thread.resolve', thread, disposition: 'accepted', note: '' }, 2100);
    const edit = await emit(member, reviewId, { type: 'comment.edit', comment: thread, body: 'hijacked' }, 2200);
    const del = await emit(member, reviewId, { type: 'comment.delete', comment: thread }, 2300);
    const period = await emit(member, reviewId, { type: 'period.set', opens: null, closes: null }, 2400);
    const grant = await emit(member, reviewId, { type: 'role.grant', subject: member.identity.publicKey, role: 'chair' }, 2500);
    const state = await foldEnvelopes(reviewId, [...s.base, mine, resolve, edit, del, period, grant]);
    expect(state.rejected.map((r) => r.reason)).toEqual([
      'only a chair can resolve a thread',
      'only the author can change a comment',
      'only the author can change a comment',
      'only a chair can set the review period',
      'only a chair can change roles',
    ]);
    expect(state.threads[0]).toMatchObject({ status: 'open', comments: [expect.objectContaining({ body: 'chair note', deleted: false })] });
    expect(state.members[member.identity.publicKey].role).toBe('member');
  });

  it('sets aside events from a key that holds no role', async () => {
    const s = await scenario();
    const { outsider, reviewId } = s;
    const c = await emit(outsider, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'spam' }, 2000);
    const state = await foldEnvelopes(reviewId, [...s.base, c]);
    expect(state.threads).toEqual([]);
    expect(state.rejected).toEqual([expect.objectContaining({ reason: 'author is not a member of this review' })]);
  });

  it('lets only the key named in the review id create it', async () => {
    const s = await scenario();
    const { outsider, reviewId } = s;
    const hijack = await emit(outsider, reviewId, { type: 'review.create', title: 'Mine now', url: 'u', canonical: 'u' }, 1);
    const state = await foldEnvelopes(reviewId, [hijack, ...s.base]);
    expect(state.meta?.title).toBe('Proposal');
    expect(state.members[outsider.identity.publicKey]).toBeUndefined();
    expect(state.rejected[0].reason).toMatch(/only the key named in the review id/);
  });

  it('reports malformed entries without failing the fold', async () => {
    const s = await scenario();
    const junk = [42, null, { p: '{', s: 'AAAA' }, { p: JSON.stringify({ v: 1, id: 'x' }), s: 'AAAA' }, { p: 'x'.repeat(70_000), s: 'A' }];
    const state = await foldEnvelopes(s.reviewId, [...s.base, ...junk]);
    expect(state.meta).not.toBeNull();
    expect(state.rejected).toHaveLength(junk.length);
  });

  it('keeps a deleted comment as a placeholder, and refuses later edits', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const c = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'secret' }, 2000);
    const id = await idOf(c);
    const reply = await emit(chair, reviewId, { type: 'comment.add', thread: id, body: 'reply' }, 2050);
    const del = await emit(member, reviewId, { type: 'comment.delete', comment: id }, 2100);
    const edit = await emit(member, reviewId, { type: 'comment.edit', comment: id, body: 'back' }, 2200);
    const state = await foldEnvelopes(reviewId, [...s.base, c, reply, del, edit]);
    expect(state.threads[0].comments[0]).toMatchObject({ deleted: true, body: '' });
    expect(state.threads[0].comments[1].body).toBe('reply');
    expect(state.rejected.map((r) => r.reason)).toEqual(['the comment was deleted']);
  });
});

describe('fold: members admitted after they wrote', () => {
  it("counts a comment made before the chair's grant arrived, but never backdates chair powers", async () => {
    const s = await scenario();
    const { chair, outsider: late, reviewId } = s;
    const early = await emit(late, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'written offline' }, 1500);
    const tooEarly = await emit(late, reviewId, { type: 'period.set', opens: null, closes: null }, 1501);
    const grant = await emit(chair, reviewId, { type: 'role.grant', subject: late.identity.publicKey, role: 'chair', name: 'Late' }, 2000);
    const state = await foldEnvelopes(reviewId, [...s.base, early, tooEarly, grant]);
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['written offline']);
    expect(state.rejected.map((r) => r.reason)).toEqual(['author is not a member of this review']);
    // A key whose grant is later revoked was not a member in between.
    const revoke = await emit(chair, reviewId, { type: 'role.revoke', subject: s.member.identity.publicKey, upTo: [] }, 3000);
    const after = await emit(s.member, reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'after revoke' }, 3100);
    const state2 = await foldEnvelopes(reviewId, [...s.base, revoke, after]);
    expect(state2.threads).toEqual([]);
  });
});

describe('clocks no one can freeze', () => {
  it('a set-aside event never moves the clock, however far ahead it is stamped', async () => {
    const s = await scenario();
    // A throw-away key stamps the largest clock there is: on the old fold every later stamp had to
    // pass it, and no valid stamp could.
    const frozen = await signEvent(s.outsider.identity, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'freeze' }, { t: 8.64e15, c: 1e9 - 1 }, 0);
    const state = await foldEnvelopes(s.reviewId, [...s.base, frozen]);
    expect(state.rejected.map((r) => r.reason)).toEqual(['author is not a member of this review']);
    expect(state.clock).toEqual({ t: 1002, c: 0 });
  });

  it('an event stamped more than ten minutes ahead of the receiver waits, then counts', async () => {
    const s = await scenario();
    const now = 10_000_000;
    const early = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'from a fast clock' }, now + 60 * 60_000);
    const waiting = await foldEnvelopes(s.reviewId, [...s.base, early], { now });
    expect(waiting.threads).toEqual([]);
    expect(waiting.rejected).toEqual([]);
    expect(waiting.waiting).toEqual([{ id: await idOf(early), by: s.member.identity.publicKey, until: now + 50 * 60_000 }]);
    expect(waiting.clock).toEqual({ t: 1002, c: 0 }); // the local clock does not jump

    const later = await foldEnvelopes(s.reviewId, [...s.base, early], { now: now + 50 * 60_000 });
    expect(later.waiting).toEqual([]);
    expect(later.threads.map((t) => t.comments[0].body)).toEqual(['from a fast clock']);
  });

  it('a replica folds a waiting event in once its time comes, without any new update', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const s = await scenario();
      const start = Date.now();
      const early = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'soon' }, start + 11 * 60_000);
      const doc = new Y.Doc();
      eventLog(doc).push([...s.base, early]);
      const replica = new ReviewReplica(doc, s.reviewId);
      const seen: number[] = [];
      replica.subscribe((state) => seen.push(state.threads.length));
      await vi.waitFor(() => expect(seen).toEqual([0]));
      await vi.advanceTimersByTimeAsync(61_000);
      await vi.waitFor(() => expect(seen.at(-1)).toBe(1));
    } finally {
      vi.useRealTimers();
    }
  });

  it('folds again on the next change after a fold that failed, instead of never again', async () => {
    const s = await scenario();
    const doc = new Y.Doc();
    eventLog(doc).push(s.base);
    let fail = true;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const replica = new ReviewReplica(doc, s.reviewId, {
      now: () => {
        if (!fail) return Date.now();
        fail = false;
        throw new Error('a fold that fails');
      },
    });
    const seen: number[] = [];
    replica.subscribe((state) => seen.push(state.threads.length));
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    expect(seen).toEqual([]);
    eventLog(doc).push([await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'after' }, 5_000)]);
    await vi.waitFor(() => expect(seen).toEqual([1]));
    warn.mockRestore();
  });
});
