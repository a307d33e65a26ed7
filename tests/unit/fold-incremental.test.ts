/**
 * The incremental fold (issue 14) against the whole fold, over generated logs (fast-check): adding
 * events one at a time, folding whole only where `add` declines, ends in the same state as one
 * fold of everything; `probe` names the reason a whole fold would give; and a state handed out
 * never changes when later events are added.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISPOSITIONS, summarize, type Envelope, type EventBody } from '../../lib/review';
import { fold, Folded, orderEvents } from '../../lib/review/fold';
import { actor, anchor, checkEnvelopes, emit, foldThrowsOn, idOf, scenario, shuffle, type Actor } from './helpers';

const json = (x: unknown) => JSON.parse(JSON.stringify(x));

/** What one generated step does: who, and what kind of event, against which earlier comment. */
const step = fc.record({
  who: fc.constantFrom('chair', 'member', 'outsider', 'late'),
  kind: fc.constantFrom('thread', 'reply', 'edit', 'delete', 'resolve', 'reopen', 'period', 'profile', 'grant', 'revoke', 'fork', 'foreign'),
  pick: fc.nat(),
  gap: fc.integer({ min: 1, max: 50 }),
});

async function generate(steps: { who: string; kind: string; pick: number; gap: number }[]) {
  const s = await scenario();
  const late: Actor = await actor();
  const actors: Record<string, Actor> = { chair: s.chair, member: s.member, outsider: s.outsider, late };
  const envelopes = [...s.base];
  const comments: string[] = [];
  const threads: string[] = [];
  let t = 2_000;
  for (const { who, kind, pick, gap } of steps) {
    t += gap;
    const a = actors[who];
    const some = (list: string[]) => list[pick % list.length];
    let body: EventBody | null = null;
    let prev: string | null | undefined;
    if (kind === 'thread') body = { type: 'comment.add', anchor: anchor(`passage ${t}`), body: `c${t}` };
    else if (kind === 'reply' && threads.length) body = { type: 'comment.add', thread: some(threads), body: `r${t}` };
    else if (kind === 'edit' && comments.length) body = { type: 'comment.edit', comment: some(comments), body: `e${t}` };
    else if (kind === 'delete' && comments.length) body = { type: 'comment.delete', comment: some(comments) };
    else if (kind === 'resolve' && threads.length) body = { type: 'thread.resolve', thread: some(threads), disposition: DISPOSITIONS[pick % DISPOSITIONS.length], note: 'n' };
    else if (kind === 'reopen' && threads.length) body = { type: 'thread.reopen', thread: some(threads) };
    else if (kind === 'period') body = { type: 'period.set', opens: null, closes: new Date(t + 100).toISOString(), late: pick % 2 === 0 };
    else if (kind === 'profile') body = { type: 'profile.set', name: `Name ${pick % 5}` };
    else if (kind === 'grant') body = { type: 'role.grant', subject: late.identity.publicKey, role: pick % 3 ? 'member' : 'chair', name: 'Late' };
    else if (kind === 'revoke') body = { type: 'role.revoke', subject: late.identity.publicKey, upTo: [] };
    else if (kind === 'fork' && a.heads.size) {
      body = { type: 'comment.add', anchor: anchor(`fork ${t}`), body: `f${t}` };
      prev = null; // a second first event: a fork of the author's chain
    } else if (kind === 'foreign' && envelopes.length > 3) {
      // A dishonest chain: names another's event as its predecessor, stamped before it, so that
      // it sorts first and its predecessor arrives (in fold order) after it.
      const other = envelopes[envelopes.length - 1 - (pick % 3)];
      body = { type: 'comment.add', anchor: anchor(`foreign ${t}`), body: `x${t}` };
      prev = await idOf(other);
      a.clock = undefined;
      t -= 2 * gap;
    }
    if (!body) continue;
    const env = await emit(a, s.reviewId, body, t, prev);
    envelopes.push(env);
    if (body.type === 'comment.add') {
      comments.push(await idOf(env));
      if (!body.thread) threads.push(await idOf(env));
    }
  }
  const { events } = await checkEnvelopes(s.reviewId, envelopes);
  return { reviewId: s.reviewId, events };
}

describe('incremental fold', () => {
  it('adding events one by one (folding whole where add declines) ends where one whole fold does; earlier states stay as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (steps, start) => {
        const { reviewId, events } = await generate(steps);
        const ordered = [...events].sort(orderEvents);
        let folded = Folded.of(reviewId, ordered.slice(0, start));
        const handedOut: [object, string][] = [];
        let declined = 0;
        for (const event of ordered.slice(start)) {
          const before = folded.state;
          handedOut.push([before, JSON.stringify(before)]);
          if (!folded.add(event)) {
            declined++;
            folded = Folded.of(reviewId, ordered.slice(0, ordered.indexOf(event) + 1));
          }
        }
        expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
        for (const [state, text] of handedOut) expect(JSON.stringify(state)).toBe(text);
        // Adding an event already folded changes nothing.
        const last = folded.state;
        expect(folded.add(ordered[ordered.length - 1])).toBe(true);
        expect(folded.state).toBe(last);
        return declined <= ordered.length;
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('adding events in batches (folding whole where a batch is declined) ends where one whole fold does; earlier states stay as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 30, maxLength: 30 }), async (steps, start, sizes) => {
        const { reviewId, events } = await generate(steps);
        const ordered = [...events].sort(orderEvents);
        let folded = Folded.of(reviewId, ordered.slice(0, start));
        const handedOut: [object, string][] = [];
        for (let from = start, k = 0; from < ordered.length; from += sizes[k++]) {
          const batch = ordered.slice(from, from + sizes[k]);
          handedOut.push([folded.state, JSON.stringify(folded.state)]);
          if (!folded.addAll(batch)) folded = Folded.of(reviewId, ordered.slice(0, from + batch.length));
        }
        expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
        for (const [state, text] of handedOut) expect(JSON.stringify(state)).toBe(text);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('a whole fold that keeps states for late events (its last events added on top) gives the plain fold', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), async (steps, span) => {
        const { reviewId, events } = await generate(steps);
        expect(json(Folded.of(reviewId, events, [], { span }).state)).toEqual(json(fold(reviewId, events)));
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('events arriving in any order (a late one folded again from a kept state, the whole log where declined) end where one whole fold does; earlier states stay as they were', async () => {
    let rewound = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 1_000_000 }), async (steps, span, seed) => {
        const { reviewId, events } = await generate(steps);
        // The creation and the first grants arrive first, as they must for anything to apply; the rest in any order.
        const arrival = [...events.slice(0, 3), ...shuffle(events.slice(3), seed)];
        let folded = Folded.of(reviewId, arrival.slice(0, 3), [], { span });
        const handedOut: [object, string][] = [];
        for (let i = 3; i < arrival.length; i++) {
          handedOut.push([folded.state, JSON.stringify(folded.state)]);
          const late = folded.state.clock !== undefined && orderEvents(arrival[i], [...arrival.slice(0, i)].sort(orderEvents).at(-1)!) < 0;
          if (folded.addAll([arrival[i]])) rewound += late ? 1 : 0;
          else folded = Folded.of(reviewId, arrival.slice(0, i + 1), [], { span });
        }
        expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
        // Chain tips are asked of the fold, not kept in the state: the same after rewinds.
        const whole = Folded.of(reviewId, events, [], { span });
        for (const author of new Set(events.map((e) => e.payload.by))) expect(folded.headsOf(author).sort()).toEqual(whole.headsOf(author).sort());
        for (const [state, text] of handedOut) expect(JSON.stringify(state)).toBe(text);
      }),
      { numRuns: 80 },
    );
    expect(rewound).toBeGreaterThan(0); // the late path was taken, not only whole folds
  }, 60_000);

  it("the dashboard's summary of each state, from facts kept by thread object, is what fresh copies of the state give", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 1_000_000 }), async (steps, seed) => {
        const { reviewId, events } = await generate(steps);
        const authors = [...new Set(events.map((e) => e.payload.by))];
        // Mostly in order, so that most events are added on top of states summarised before.
        const arrival = seed % 2 ? events : [...events.slice(0, 3), ...shuffle(events.slice(3), seed)];
        let folded = Folded.of(reviewId, arrival.slice(0, 3), [], { span: 2 });
        for (let i = 3; i < arrival.length; i++) {
          if (!folded.addAll([arrival[i]])) folded = Folded.of(reviewId, arrival.slice(0, i + 1), [], { span: 2 });
          // The fresh copy shares no thread object with any state summarised before.
          for (const me of authors) expect(summarize(folded.state, me, 5_000)).toEqual(summarize(json(folded.state), me, 5_000));
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('takes a late reply from a kept state: the replies folded after it are folded again, once each', async () => {
    const { reviewId, events } = await generate([
      { who: 'member', kind: 'thread', pick: 0, gap: 5 },
      { who: 'chair', kind: 'thread', pick: 0, gap: 5 },
      { who: 'chair', kind: 'reply', pick: 0, gap: 5 }, // the late one: arrives last
      { who: 'member', kind: 'reply', pick: 0, gap: 5 },
      { who: 'member', kind: 'reply', pick: 1, gap: 5 },
    ]);
    const ordered = [...events].sort(orderEvents);
    const late = ordered[5];
    const folded = Folded.of(reviewId, ordered.slice(0, 5), [], { span: 1 });
    const before = JSON.stringify(folded.state);
    expect(folded.addAll(ordered.slice(6))).toBe(true);
    const handed = folded.state;
    const text = JSON.stringify(handed);
    expect(folded.addAll([late])).toBe(true); // sorts before the newest: no whole fold
    expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
    expect(folded.state.threads.map((t) => t.comments.length)).toEqual([3, 2]);
    expect(JSON.stringify(handed)).toBe(text);
    expect(before).not.toBe(text);
  });

  it('a review of a few hundred events keeps states close enough that comments crossing by a few dozen are folded again from one', async () => {
    // The member's last comment, thirty events before the end of the chair's: it arrives last, as
    // when members write at once. With states 256 apart only a whole fold could place it.
    const steps = Array.from({ length: 200 }, (_, i) => ({ who: i < 170 && i % 2 ? 'chair' : i <= 170 ? 'member' : 'chair', kind: i % 3 ? 'thread' : 'reply', pick: i, gap: 3 }));
    const { reviewId, events } = await generate(steps);
    const ordered = [...events].sort(orderEvents);
    const late = ordered.splice(ordered.length - 30, 1)[0];
    expect(ordered.slice(-29).some((e) => e.payload.by === late.payload.by)).toBe(false); // nothing of the member's names it
    const folded = Folded.of(reviewId, ordered);
    expect(folded.addAll([late])).toBe(true);
    expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
  });

  it('a review opened small and grown by single adds keeps its states as far apart as its size calls for', async () => {
    // The member's last comment, 300 events before the end: within the 8 kept states of a fold of
    // 1,200 events (75 apart), not of one opened at 50 events (16 apart) that never grew.
    const steps = Array.from({ length: 1_200 }, (_, i) => ({ who: i < 900 && i % 2 ? 'chair' : i <= 900 ? 'member' : 'chair', kind: 'thread', pick: i, gap: 3 }));
    const { reviewId, events } = await generate(steps);
    const ordered = [...events].sort(orderEvents);
    const late = ordered.splice(ordered.length - 300, 1)[0];
    expect(ordered.slice(-299).some((e) => e.payload.by === late.payload.by)).toBe(false);
    const folded = Folded.of(reviewId, ordered.slice(0, 50));
    for (const event of ordered.slice(50)) expect(folded.add(event)).toBe(true);
    expect(folded.addAll([late])).toBe(true);
    expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
  }, 30_000);

  it('probe gives the reason a whole fold would, and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 25 }), async (steps) => {
        const { reviewId, events } = await generate(steps);
        const ordered = [...events].sort(orderEvents);
        const next = ordered.pop()!;
        const folded = Folded.of(reviewId, ordered);
        const text = JSON.stringify(folded.state);
        const probed = folded.probe(next);
        expect(JSON.stringify(folded.state)).toBe(text);
        if (probed === undefined) return; // only a whole fold can tell: the replica folds whole
        const whole = fold(reviewId, [...ordered, next]);
        expect(probed).toBe(whole.rejected.find((r) => r.id === next.id)?.reason ?? null);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('probing an event before adding it (the hub with its own), or probing another, ends where one whole fold does; earlier states stay as they were', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 30 }), fc.array(fc.constantFrom('same', 'other', 'none'), { minLength: 30, maxLength: 30 }), async (steps, probes) => {
        const { reviewId, events } = await generate(steps);
        const ordered = [...events].sort(orderEvents);
        let folded = Folded.of(reviewId, ordered.slice(0, 1));
        const handedOut: [object, string][] = [];
        for (const [k, event] of ordered.slice(1).entries()) {
          handedOut.push([folded.state, JSON.stringify(folded.state)]);
          // Another event probed in between: the add must not take its draft.
          if (probes[k] === 'same') folded.probe(event);
          else if (probes[k] === 'other') folded.probe(ordered[(k + 2) % ordered.length]);
          if (!folded.add(event)) folded = Folded.of(reviewId, ordered.slice(0, k + 2));
        }
        expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
        for (const [state, text] of handedOut) expect(JSON.stringify(state)).toBe(text);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('after an add that throws midway, the tips and the applied list are those of the state it holds', async () => {
    const s = await scenario();
    const m1 = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('one'), body: 'One' }, 3_000);
    const m2 = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('two'), body: 'Two' }, 3_100);
    const boom = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('boom'), body: 'Boom' }, 3_200);
    const { events } = await checkEnvelopes(s.reviewId, [...s.base, m1, m2, boom]);
    const ordered = [...events].sort(orderEvents);
    const folded = Folded.of(s.reviewId, ordered.slice(0, -2)); // up to m1
    const held = folded.applied();
    // The event after m2 in the same batch throws.
    const restore = foldThrowsOn(await idOf(boom));
    try {
      expect(() => folded.addAll(ordered.slice(-2))).toThrow('boom');
    } finally {
      restore();
    }
    expect(folded.applied()).toEqual(held); // m2 was never committed to the state
    expect(folded.headsOf(s.member.identity.publicKey)).toEqual([await idOf(m1)]);
  });

  it('folds whole when an event arrives that one already folded names as its predecessor', async () => {
    const s = await scenario();
    // The chair's X, stamped later; the member's A names X as its predecessor but is stamped earlier.
    const x = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'X' }, 5_000);
    const a = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('a'), body: 'A' }, 3_000, await idOf(x));
    const { events } = await checkEnvelopes(s.reviewId, [...s.base, x, a]);
    const ordered = [...events].sort(orderEvents);
    const folded = Folded.of(s.reviewId, ordered.slice(0, 3));
    expect(folded.add(ordered[3])).toBe(true); // A, whose predecessor is not there yet
    expect(folded.add(ordered[4])).toBe(false); // X, which A names: A's outcome changes
    expect(fold(s.reviewId, events).rejected.map((r) => r.reason)).toEqual(["its predecessor is another author's event"]);
  });

  it('takes ordinary comments, replies, edits and decisions at the end without folding whole', async () => {
    const { reviewId, events } = await generate([
      { who: 'member', kind: 'thread', pick: 0, gap: 5 },
      { who: 'chair', kind: 'reply', pick: 0, gap: 5 },
      { who: 'member', kind: 'edit', pick: 0, gap: 5 },
      { who: 'chair', kind: 'resolve', pick: 1, gap: 5 },
      { who: 'member', kind: 'reopen', pick: 0, gap: 5 },
      { who: 'chair', kind: 'period', pick: 0, gap: 5 },
    ]);
    const ordered = [...events].sort(orderEvents);
    const folded = Folded.of(reviewId, ordered.slice(0, 3)); // creation, name, the member's grant
    for (const event of ordered.slice(3)) expect(folded.add(event)).toBe(true);
    expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
    expect(folded.state.threads[0].status).toBe('open');
  });

  it("takes the chair's grant to a newcomer at the end; a grant to a key that already wrote, or has an event waiting, folds whole", async () => {
    const s = await scenario();
    const verified = async (envelopes: Envelope[]) => (await checkEnvelopes(s.reviewId, envelopes)).events;
    const grant = { type: 'role.grant', subject: s.outsider.identity.publicKey, role: 'member', name: 'New' } as const;
    const comment = (t: number) => emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor(`p ${t}`), body: `b${t}` }, t);

    // Admitting someone new: nothing of theirs to reach back to.
    const admitted = await verified([...s.base, await comment(2_000), await emit(s.chair, s.reviewId, grant, 3_000)]);
    const folded = Folded.of(s.reviewId, admitted.slice(0, -1));
    expect(folded.add(admitted[admitted.length - 1])).toBe(true);
    expect(json(folded.state)).toEqual(json(fold(s.reviewId, admitted)));
    expect(folded.state.members[s.outsider.identity.publicKey].role).toBe('member');

    // Written before the grant arrived: the grant makes it a member's comment, which only a whole fold sees.
    const early = await emit(s.outsider, s.reviewId, { type: 'comment.add', anchor: anchor('early'), body: 'Early' }, 2_500);
    const wrote = await verified([...s.base, early, await emit(s.chair, s.reviewId, { ...grant, name: 'Again' }, 3_500)]);
    const before = Folded.of(s.reviewId, wrote.slice(0, -1));
    expect(before.state.threads).toHaveLength(0);
    expect(before.add(wrote[wrote.length - 1])).toBe(false);
    expect(fold(s.reviewId, wrote).threads.map((t) => t.comments[0].body)).toEqual(['Early']);

    // An event of theirs stamped ahead of this clock, waiting: the whole fold places it when it comes due.
    const ahead = await emit(s.outsider, s.reviewId, { type: 'profile.set', name: 'Ahead' }, 10_000_000);
    const waiting = await verified([...s.base, ahead, await emit(s.chair, s.reviewId, { ...grant, name: 'Third' }, 4_000)]);
    const withWaiting = Folded.of(s.reviewId, waiting.slice(0, -1), [], { now: 5_000 });
    expect(withWaiting.state.waiting).toHaveLength(1);
    expect(withWaiting.add(waiting[waiting.length - 1], 5_000)).toBe(false);
  });

  it('takes several new threads in one batch, and replies to each of them in the next', async () => {
    const { reviewId, events } = await generate([
      { who: 'member', kind: 'thread', pick: 0, gap: 5 },
      { who: 'chair', kind: 'thread', pick: 0, gap: 5 },
      { who: 'member', kind: 'thread', pick: 0, gap: 5 },
      { who: 'chair', kind: 'reply', pick: 2, gap: 5 },
      { who: 'member', kind: 'reply', pick: 1, gap: 5 },
      { who: 'chair', kind: 'resolve', pick: 2, gap: 5 },
    ]);
    const ordered = [...events].sort(orderEvents);
    const folded = Folded.of(reviewId, ordered.slice(0, 3));
    expect(folded.addAll(ordered.slice(3, 6))).toBe(true);
    expect(folded.state.threads).toHaveLength(3);
    expect(folded.addAll(ordered.slice(6))).toBe(true);
    expect(json(folded.state)).toEqual(json(fold(reviewId, events)));
    expect(folded.state.threads.map((t) => t.comments.length)).toEqual([1, 2, 2]);
  });
});
