/**
 * The record no one can erase (issue 10): each attack a hostile member tried on the old format,
 * tried again on the fold. Each of these set aside, hid or rewrote another's event before.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { checkEnvelope, countThreads, EnvelopeChecker, eventIdOf, eventLog, Folded, isListed, ReviewReplica, signEvent, type Envelope } from '../../lib/review';
import { actor, anchor, checkEnvelopes, emit, foldEnvelopes, foldThrowsOn, freshDb, idOf, scenario } from './helpers';
import { VerifiedRecord } from '../../lib/hub/record';
import { ReviewWrites } from '../../lib/store';

describe('envelopes a trusted verifier vouches for (the hub for a surface, the record for the hub)', () => {
  /** Vouches for exactly one envelope, as the hub's vouchers and its record do: same signature, same text. */
  const only = (env: { p: string; s: string }, id: string) => ({ vouched: (sig: string, p: string) => (sig === env.s && p === env.p ? id : undefined) });

  it('skips only the signature check, and only for the very text that was verified', async () => {
    const s = await scenario();
    const env = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Checked once' }, 2000);
    const id = await idOf(env);
    const forged = { p: env.p, s: `${env.s.slice(0, -4)}AAAA` }; // a signature that does not verify
    expect((await checkEnvelope(forged, s.reviewId)).ok).toBe(false);
    // Vouched for as it is: taken without the costly check (the verifier did it), and not hashed again.
    expect(await checkEnvelope(forged, s.reviewId, only(forged, 'vouched-id'))).toMatchObject({ ok: true, event: { id: 'vouched-id' } });
    // Another text under the vouched signature is not the vouched envelope: checked as usual, and refused.
    const other = { p: env.p.replace('Checked once', 'Other words'), s: forged.s };
    expect(await checkEnvelope(other, s.reviewId, only(forged, id))).toMatchObject({ ok: false, rejection: { reason: 'signature does not verify' } });
    // Everything but the signature is still checked.
    expect(await checkEnvelope(forged, `${s.chair.identity.keyId}.anotherReview1`, only(forged, id))).toMatchObject({ ok: false });
  });

  it('reads the vouched text without checking its shape again; anything else is checked in full', async () => {
    const s = await scenario();
    const env = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Checked once' }, 2000);
    // A text with a field the format does not know: refused by the full checks...
    const odd = { p: env.p.replace('"body":', '"extra":1,"body":'), s: env.s };
    expect(await checkEnvelope(odd, s.reviewId)).toMatchObject({ ok: false, rejection: { reason: expect.stringMatching(/^malformed event/) } });
    // ...and read as it is when vouched for exactly (the verifier checked it in full, so it never is).
    const id = eventIdOf(odd.p);
    expect(await checkEnvelope(odd, s.reviewId, only(odd, id))).toMatchObject({ ok: true, event: { id, payload: { e: { extra: 1 } } } });
    // Not the vouched pair: an envelope with a third field, or the text of another review, is checked in full.
    expect(await checkEnvelope({ ...odd, x: 1 }, s.reviewId, only(odd, id))).toMatchObject({ ok: false, rejection: { reason: 'not an event envelope' } });
    expect(await checkEnvelope(odd, `${s.chair.identity.keyId}.anotherReview1`, only(odd, id))).toMatchObject({ ok: false });
    // A vouched text that no longer reads (a damaged row of the record) gets every check.
    const broken = { p: '{"review":', s: env.s };
    expect(await checkEnvelope(broken, s.reviewId, only(broken, id))).toMatchObject({ ok: false, rejection: { reason: 'not JSON' } });
  });

  it("takes the hub's own envelope, just signed, without verifying its signature; everything else is still checked", async () => {
    const s = await scenario();
    const env = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Mine' }, 2000);
    const bad = { p: env.p, s: `${env.s.slice(0, -4)}AAAA` };
    expect(await checkEnvelope(bad, s.reviewId, {}, true)).toMatchObject({ ok: true, event: { id: await idOf(env) } });
    expect(await new EnvelopeChecker(s.reviewId).check(bad)).toMatchObject({ ok: false, rejection: { reason: 'signature does not verify' } });
    expect(await checkEnvelope(env, `${s.chair.identity.keyId}.anotherReview1`, {}, true)).toMatchObject({ ok: false, rejection: { reason: 'event belongs to another review' } });
  });

  it("judges the hub's own event on its text while it is signed, and the fold takes it under the signature it then gets", async () => {
    const s = await scenario();
    const doc = new Y.Doc();
    doc.transact(() => eventLog(doc).push(s.base));
    const replica = new ReviewReplica(doc, s.reviewId);
    await replica.state();
    const unlogged = await emit(s.outsider, s.reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Never sent' }, 1999);
    const reply = await emit(s.member, s.reviewId, { type: 'comment.add', thread: await idOf(unlogged), body: 'Lost' }, 2000);
    expect((await replica.judgeOwn(reply.p)).refusal).toBe('reply to a thread that does not exist');
    const mine = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Mine' }, 2001);
    const judged = await replica.judgeOwn(mine.p);
    expect(judged).toMatchObject({ refusal: null, id: await idOf(mine) });
    // The verdict is kept under the signature the hub made (here one no check would pass): the
    // fold does not verify it again. Under any other signature the text is checked in full.
    const signedHere = { p: mine.p, s: `${mine.s.slice(0, -4)}AAAA` };
    judged.signed(signedHere.s);
    doc.transact(() => eventLog(doc).push([signedHere, { p: mine.p, s: `${mine.s.slice(0, -4)}BBBB` }]));
    const state = await replica.state();
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['Mine']);
    expect(state.rejected).toEqual([expect.objectContaining({ reason: 'signature does not verify' })]);
  });

  it('tells the vouched text from one that only hashes like it (a lone surrogate hashes as U+FFFD)', async () => {
    const s = await scenario();
    const env = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Checked once' }, 2000);
    const replaced = { p: env.p.replace('Checked once', 'Checked \uFFFD'), s: env.s };
    const lone = { p: env.p.replace('Checked once', 'Checked \uD800'), s: env.s };
    expect(eventIdOf(lone.p)).toBe(eventIdOf(replaced.p));
    expect(await checkEnvelope(replaced, s.reviewId, only(replaced, eventIdOf(replaced.p)))).toMatchObject({ ok: true });
    expect(await checkEnvelope(lone, s.reviewId, only(replaced, eventIdOf(replaced.p)))).toMatchObject({ ok: false, rejection: { reason: 'not an event envelope' } });
  });
});

describe("the hub's record as vouchers", () => {
  it('vouches for what an earlier session kept unchecked only once this session takes it again, and takes back what it lets go', async () => {
    const s = await scenario();
    const [signed, unchecked] = [s.base[0], s.base[1]];
    const db = freshDb();
    await db.envelopes.bulkPut([
      { reviewId: s.reviewId, ...signed, id: await idOf(signed) },
      { reviewId: s.reviewId, ...unchecked, id: await idOf(unchecked), unsigned: true },
    ]);
    const record = await VerifiedRecord.load(db, s.reviewId, new ReviewWrites(db, s.reviewId, (job) => job()));
    expect(record.vouchers().map((v) => v[0])).toEqual([signed.s]);
    // Not even to the hub's own replica: it checks the unchecked one in full.
    expect(record.keptId(unchecked.s, unchecked.p)).toBeUndefined();
    expect(record.keptId(signed.s, signed.p)).toBe(await idOf(signed));
    // Taken again on its chain in this session: vouched for from now on.
    record.keep(unchecked, await idOf(unchecked), true);
    expect(record.takeFresh().map((v) => v[0])).toContain(unchecked.s);
    expect(record.vouchers().map((v) => v[0]).sort()).toEqual([signed.s, unchecked.s].sort());
    // Let go of (its signature failed): taken back, and told to surfaces that subscribe later too.
    expect(record.forget({ p: unchecked.p, s: unchecked.s })).toBe(true);
    expect(record.forget({ p: `${signed.p} `, s: signed.s })).toBe(false); // another text: not the kept one
    expect(record.takeRefuted()).toEqual([{ p: unchecked.p, s: unchecked.s }]);
    expect(record.refutedRecently()).toEqual([{ p: unchecked.p, s: unchecked.s }]);
    expect(record.vouchers().map((v) => v[0])).toEqual([signed.s]);
  });
});

describe('ids no one else can take', () => {
  it("an event id is the hash of the signed text: copying another event's payload under one's own key makes a different event", async () => {
    const s = await scenario();
    const honest = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'The chair' }, 2000);
    // The old attack: reuse the victim's id with an earlier clock. An id is no longer a field one writes.
    const payload = JSON.parse(honest.p);
    const copy = await signEvent(s.member.identity, s.reviewId, payload.e, { t: 1500, c: 0 }, 1500, null);
    expect(await idOf(copy)).not.toBe(await idOf(honest));
    const state = await foldEnvelopes(s.reviewId, [...s.base, copy, honest]);
    expect(state.threads.map((t) => [t.author, t.comments[0].body])).toEqual([
      [s.member.identity.publicKey, 'The chair'],
      [s.chair.identity.publicKey, 'The chair'],
    ]);
    expect(state.rejected).toEqual([]);
  });

  it('a payload that still names its own id is malformed, not an event', async () => {
    const s = await scenario();
    const p = JSON.parse(s.base[1].p);
    const forged = await signEvent(s.member.identity, s.reviewId, p.e, undefined, 5, null);
    const withId: Envelope = { p: JSON.stringify({ ...JSON.parse(forged.p), id: 'create-x' }), s: forged.s };
    const state = await foldEnvelopes(s.reviewId, [...s.base, withId]);
    expect(state.rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/^malformed event/)]);
  });

  it('a role granted to a string that is not a public key is set aside, so no phantom member appears', async () => {
    const s = await scenario();
    const phantom = 'B' + 'A'.repeat(86); // key-shaped, not a point on the curve
    const grant = await emit(s.chair, s.reviewId, { type: 'role.grant', subject: phantom, role: 'member', name: 'Ghost' }, 2000);
    const state = await foldEnvelopes(s.reviewId, [...s.base, grant]);
    expect(state.members[phantom]).toBeUndefined();
    expect(state.rejected.map((r) => r.reason)).toEqual(['the subject is not a public key']);
  });
});

describe('history no one can backdate', () => {
  it("a removed member's events stamped before the removal do not count, and their fork is shown", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const kept = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Before removal' }, 2000);
    const removal = await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: [await idOf(kept)] }, 3000);
    // Removed, the member signs "earlier" events: one continuing the chain, one forking it.
    member.clock = undefined;
    const continued = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Backdated' }, 2500);
    member.clock = undefined;
    const forked = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('z'), body: 'Backdated fork' }, 1500, null);
    const state = await foldEnvelopes(reviewId, [...s.base, kept, removal, continued, forked]);
    expect(state.threads.filter(isListed).map((t) => t.comments[0].body)).toEqual(['Before removal']);
    expect(state.rejected.map((r) => r.reason)).toEqual(['written after the author was removed', 'written after the author was removed']);
    expect(state.forks).toEqual([{ by: member.identity.publicKey, prev: null, events: [await idOf(forked), await idOf(kept)] }]);
    expect(state.members[member.identity.publicKey]).toMatchObject({ role: 'none', removed: { upTo: [await idOf(kept)] } });
  });

  it('lists each rewritten history once, in the order its first event folds, with every event that names the same predecessor', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const first = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('a'), body: 'A' }, 2000);
    // The chair's history forks between the member's first event and its second fork.
    const mine = await emit(chair, reviewId, { type: 'comment.add', anchor: anchor('d'), body: 'D' }, 2100);
    const other = await emit(chair, reviewId, { type: 'comment.add', anchor: anchor('e'), body: 'E' }, 2150, await idOf(s.base[2]));
    const second = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('b'), body: 'B' }, 2200, null);
    const third = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('c'), body: 'C' }, 2300, null);
    const state = await foldEnvelopes(reviewId, [...s.base, other, third, mine, second, first]);
    expect(state.forks).toEqual([
      { by: member.identity.publicKey, prev: null, events: [await idOf(first), await idOf(second), await idOf(third)] },
      { by: chair.identity.publicKey, prev: await idOf(s.base[2]), events: [await idOf(mine), await idOf(other)] },
    ]);
  });

  it("a removal cuts what the chair had not seen, even an edit of the member's own earlier comment", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const c = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Original' }, 2000);
    const edit = await emit(member, reviewId, { type: 'comment.edit', comment: await idOf(c), body: 'Rewritten' }, 2100);
    const removal = await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: [await idOf(c)] }, 2200);
    const state = await foldEnvelopes(reviewId, [...s.base, c, edit, removal]);
    expect(state.threads[0].comments[0]).toMatchObject({ body: 'Original' });
    expect(state.threads[0].comments[0].editedAt).toBeUndefined();
  });

  it('a removal names every branch its subject wrote on, and an event waiting far ahead on none', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const a = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Branch one' }, 2000);
    const b = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Branch two' }, 2100, null);
    const ahead = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('z'), body: 'From the future' }, 9e12);
    const { events, rejections } = await checkEnvelopes(reviewId, [...s.base, a, b, ahead]);
    const heads = Folded.of(reviewId, events, rejections, { now: 3000 }).headsOf(member.identity.publicKey);
    expect(heads.sort()).toEqual([await idOf(a), await idOf(b)].sort());
    const removal = await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: heads }, 3000);
    const after = await foldEnvelopes(reviewId, [...s.base, a, b, ahead, removal], { now: 3000 });
    expect(after.threads.filter(isListed).map((t) => t.comments[0].body).sort()).toEqual(['Branch one', 'Branch two']);
  });

  it("after a fold that failed, a replica names the tips of the whole log, not of the fold it was left with", async () => {
    const s = await scenario();
    const m1 = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('one'), body: 'One' }, 3_000);
    const m2 = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('two'), body: 'Two' }, 3_100);
    const boom = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('boom'), body: 'Boom' }, 3_200);
    const doc = new Y.Doc();
    eventLog(doc).push([...s.base, m1]);
    const replica = new ReviewReplica(doc, s.reviewId);
    replica.subscribe(() => {});
    await replica.settled();
    // Once: the chair's comment throws as it is added.
    const restore = foldThrowsOn(await idOf(boom));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      eventLog(doc).push([m2, boom]);
      await replica.settled();
      expect(warn).toHaveBeenCalledWith('Margins: a fold failed', expect.any(Error));
    } finally {
      restore();
      warn.mockRestore();
    }
    // m2 counts once the log folds: a removal naming only m1 would cut it.
    expect(await replica.headsOf(s.member.identity.publicKey)).toEqual([await idOf(m2)]);
  });

  it('an event set aside is no tip of its author\'s history: a second removal names what counted', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const a = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Counted' }, 2000);
    const removal = await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: [await idOf(a)] }, 2100);
    const after = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Written after the removal' }, 2200);
    const { events, rejections } = await checkEnvelopes(reviewId, [...s.base, a, removal, after]);
    const folded = Folded.of(reviewId, events, rejections);
    expect(folded.state.rejected.map((r) => r.id)).toContain(await idOf(after));
    expect(folded.headsOf(member.identity.publicKey)).toEqual([await idOf(a)]);
  });

  it("a thread whose first comment a removal cut keeps its place: others' replies and the chair's decision stay", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const bob = await actor();
    const grant = await emit(chair, reviewId, { type: 'role.grant', subject: bob.identity.publicKey, role: 'member', name: 'Bob' }, 1500);
    const unseen = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Written offline' }, 2000);
    const reply = await emit(bob, reviewId, { type: 'comment.add', thread: await idOf(unseen), body: 'Bob agrees' }, 2100);
    const removal = await emit(chair, reviewId, { type: 'role.revoke', subject: member.identity.publicKey, upTo: [] }, 2200);
    const resolve = await emit(chair, reviewId, { type: 'thread.resolve', thread: await idOf(unseen), disposition: 'noted', note: 'Noted' }, 2300);
    const state = await foldEnvelopes(reviewId, [...s.base, grant, unseen, reply, removal, resolve]);
    const t = state.threads[0];
    expect(t.comments.map((c) => [c.body, !!c.withheld])).toEqual([
      ['', true],
      ['Bob agrees', false],
    ]);
    expect(t).toMatchObject({ status: 'resolved', disposition: 'noted' });
    expect(state.rejected.map((r) => r.reason)).toEqual(['written after the author was removed']);
  });

  it('an event chained to another author is set aside', async () => {
    const s = await scenario();
    const chairs = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'mine' }, 2000);
    const grafted = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'grafted' }, 2100, await idOf(chairs));
    const state = await foldEnvelopes(s.reviewId, [...s.base, chairs, grafted]);
    expect(state.rejected.map((r) => r.reason)).toEqual(["its predecessor is another author's event"]);
  });
});

describe('deletion keeps the record', () => {
  it("deleting a resolved thread's only comment keeps the thread, the chair's disposition and a note of the deletion", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const c = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Same as §2' }, 2000);
    const thread = await idOf(c);
    const resolve = await emit(chair, reviewId, { type: 'thread.resolve', thread, disposition: 'duplicate', note: 'See §2' }, 2100);
    const del = await emit(member, reviewId, { type: 'comment.delete', comment: thread }, 2200);
    const state = await foldEnvelopes(reviewId, [...s.base, c, resolve, del]);
    const t = state.threads[0];
    expect(isListed(t)).toBe(true);
    expect(t).toMatchObject({ status: 'resolved', disposition: 'duplicate', note: 'See §2' });
    expect(t.comments[0]).toMatchObject({ deleted: true, body: '', deletedAt: 2200 });
    expect(t.history.map((h) => h.action)).toEqual(['resolved', 'deleted']);
    expect(countThreads(state)).toEqual({ threads: 1, open: 0, resolved: 1, comments: 0 });
  });

  it('an edit after the resolution is marked in the thread history; a withdrawn unanswered comment is not listed', async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const c = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'A' }, 2000);
    const resolve = await emit(chair, reviewId, { type: 'thread.resolve', thread: await idOf(c), disposition: 'accepted', note: '' }, 2100);
    const edit = await emit(member, reviewId, { type: 'comment.edit', comment: await idOf(c), body: 'B' }, 2200);
    const lone = await emit(member, reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Oops' }, 2300);
    const withdraw = await emit(member, reviewId, { type: 'comment.delete', comment: await idOf(lone) }, 2400);
    const state = await foldEnvelopes(reviewId, [...s.base, c, resolve, edit, lone, withdraw]);
    expect(state.threads[0].history.map((h) => [h.action, h.comment ?? null])).toEqual([
      ['resolved', null],
      ['edited', await idOf(c)],
    ]);
    expect(state.threads.map(isListed)).toEqual([true, false]);
    expect(countThreads(state).threads).toBe(1);
  });
});

describe('what the format says, exactly', () => {
  it('keeps text exactly as signed, and refuses text that is only white space', async () => {
    const s = await scenario();
    const spaced = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: '  indented\n' }, 2000);
    const blank = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('y'), body: ' \n\t' }, 2100);
    const state = await foldEnvelopes(s.reviewId, [...s.base, spaced, blank]);
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['  indented\n']);
    expect(state.rejected.map((r) => r.reason)).toEqual(['malformed event at e.body']);
  });

  it('takes period instants in UTC only', async () => {
    const s = await scenario();
    const offset = await emit(s.chair, s.reviewId, { type: 'period.set', opens: null, closes: '2026-12-01T17:00:00+02:00' }, 2000);
    const noSeconds = await emit(s.chair, s.reviewId, { type: 'period.set', opens: null, closes: '2026-12-01T17:00Z' }, 2100);
    const invalid = await emit(s.chair, s.reviewId, { type: 'period.set', opens: null, closes: '2026-02-30T17:00:00Z' }, 2200);
    const state = await foldEnvelopes(s.reviewId, [...s.base, offset, noSeconds, invalid]);
    expect(state.period).toBeNull();
    expect(state.rejected.map((r) => r.reason)).toEqual([
      'malformed event at e.closes',
      'malformed event at e.closes',
      'malformed event at e.closes',
    ]);
  });

  it("refuses members' comments once a period that allows none late has closed; the chair may still write", async () => {
    const s = await scenario();
    const closes = new Date(10_000).toISOString();
    const period = await emit(s.chair, s.reviewId, { type: 'period.set', opens: null, closes, late: false, reason: 'Final' }, 5000);
    const late = await emit(s.member, s.reviewId, { type: 'comment.add', anchor: anchor('x'), body: 'Too late' }, 11_000);
    const chairs = await emit(s.chair, s.reviewId, { type: 'comment.add', anchor: anchor('y'), body: 'Chair note' }, 12_000);
    const state = await foldEnvelopes(s.reviewId, [...s.base, period, late, chairs]);
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['Chair note']);
    expect(state.rejected.map((r) => r.reason)).toEqual(['the review period has closed']);
    expect(state.period).toMatchObject({ late: false, reason: 'Final' });
  });

  it('bounds every text: a name over 120 characters is set aside', async () => {
    const s = await scenario();
    const long = await emit(s.member, s.reviewId, { type: 'profile.set', name: 'x'.repeat(121) }, 2000);
    const state = await foldEnvelopes(s.reviewId, [...s.base, long]);
    expect(state.rejected[0].reason).toMatch(/^malformed event at e.name/);
  });
});
