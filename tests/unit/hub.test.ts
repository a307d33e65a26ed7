import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Hub } from '../../lib/hub/hub';
import { EXTENSION_ACCESS, PAGE_ACCESS } from '../../lib/hub/port-access';
import { generateIdentity } from '../../lib/identity';
import { joinProof } from '../../lib/groups/group';
import { eventIdOf, eventLog, randomId, ReviewReplica, signEvent, type ReviewState } from '../../lib/review';
import { COMPACT_EVERY, countUpdates, MarginsDB } from '../../lib/store';
import { HubClient } from '../../lib/sync/hub-client';
import { portPair } from '../../lib/sync/port';
import { anchor, failWritesWhen, freshDb, logWriteTransactions } from './helpers';
import { textFingerprint } from '../../lib/page/document-identity';

/** A surface connected to whatever hub `current` points at, reconnecting like the extension does. */
function surface(current: { hub: Hub }) {
  return new HubClient(async () => {
    const [mine, theirs] = portPair();
    current.hub.connect(theirs, EXTENSION_ACCESS);
    return mine;
  }).start();
}

async function stateOf(client: HubClient, id: string, until: (s: ReviewState) => boolean): Promise<ReviewState> {
  const replica = new ReviewReplica(client.review(id), id);
  let state: ReviewState | undefined;
  await vi.waitFor(async () => {
    state = await replica.state();
    expect(until(state)).toBe(true);
  });
  return state!;
}

async function startReview(db: MarginsDB) {
  const current = { hub: await Hub.start(db) };
  const client = surface(current);
  await client.request('set-name', { name: 'Ana' });
  const { id } = await client.request('create', { nonce: randomId(), title: 'Draft', url: 'http://127.0.0.1/d', canonical: 'http://127.0.0.1/d' });
  return { current, client, id };
}

/**
 * A member's two comments as a peer would bring them into the hub's copy of the review: the first only
 * as a copy under a signature of someone's making. Its text is the member's (the second names its
 * hash), so the hub takes it on the member's chain at first, and refutes it once its own signature
 * is checked.
 */
async function chainWithCopy(hub: Hub, id: string) {
  const member = await generateIdentity();
  const doc = (await (hub as unknown as { reviews: Map<string, Promise<{ doc: Y.Doc }>> }).reviews.get(id)!).doc;
  const now = Date.now();
  const grant = await signEvent(hub.identity, id, { type: 'role.grant', subject: member.publicKey, role: 'member', name: 'Bo' }, { t: now, c: 0 }, now);
  const first = await signEvent(member, id, { type: 'comment.add', anchor: anchor('x'), body: 'First' }, { t: now + 1, c: 0 }, now + 1);
  const second = await signEvent(member, id, { type: 'comment.add', anchor: anchor('y'), body: 'Second' }, { t: now + 2, c: 0 }, now + 2, eventIdOf(first.p));
  const copy = { p: first.p, s: `${first.s.slice(0, -6)}AAAAAA` };
  return { copy, bring: () => doc.transact(() => eventLog(doc).push([grant, copy, second]), 'a peer') };
}

describe('hub', () => {
  it('signs, stores and fans out a comment to every surface', async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    const other = surface(current);
    const otherState = stateOf(other, id, (s) => s.threads.length === 1);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('framework'), body: 'Hello' } });
    const state = await otherState;
    const me = await client.request('whoami', {});
    expect(state.threads[0].comments[0]).toMatchObject({ body: 'Hello', author: me.publicKey });
    expect(state.members[me.publicKey]).toMatchObject({ name: 'Ana', role: 'chair' });
    await vi.waitFor(async () => expect((await client.request('list', {}))[0]).toMatchObject({ id, title: 'Draft', counts: { open: 1 }, myRole: 'chair' }));
    expect(await client.request('find', { canonical: 'http://127.0.0.1/d' })).toHaveLength(1);
  });

  it("writes the dashboard row again after a failed write, and later writes do not wait behind it", async () => {
    const db = freshDb();
    let failRows = 0;
    // The next write of a dashboard row fails, as on a full disk.
    failWritesWhen(db, (table) => table === 'reviews' && failRows-- > 0);
    const { client, id } = await startReview(db);
    const statuses: { ok: boolean; message?: string }[] = [];
    client.onStatus((link) => statuses.push(link.storage));
    failRows = 1;
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'One' } });
    await vi.waitFor(() => expect(statuses.some((s) => !s.ok)).toBe(true), { timeout: 3_000 });
    await client.request('retry-storage', {});
    await vi.waitFor(async () => expect((await db.reviews.get(id))?.counts.open).toBe(1), { timeout: 3_000 });
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('y'), body: 'Two' } });
    await vi.waitFor(async () => expect((await db.reviews.get(id))?.counts.open).toBe(2), { timeout: 3_000 });
    expect(statuses.at(-1)).toMatchObject({ ok: true });
    expect(statuses.map((s) => s.message ?? '').join(' ')).not.toMatch(/TypeError/);
  });

  it('once stopped, has written what it held and no longer watches the database', async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Kept' } });
    const statuses: { ok: boolean }[] = [];
    client.onStatus((link) => statuses.push(link.storage));
    await current.hub.stop();
    // Its row is on disk, and a new hub on the same store finds the comment.
    expect((await db.reviews.get(id))?.counts.open).toBe(1);
    const restarted = { hub: await Hub.start(db) };
    expect((await stateOf(surface(restarted), id, (s) => s.threads.length === 1)).threads[0].comments[0].body).toBe('Kept');
    // The stopped hub no longer answers the database closing (the new one does, to its own surfaces).
    const before = statuses.length;
    db.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(statuses.slice(before).every((s) => s.ok)).toBe(true);
    await restarted.hub.flushed();
  });

  it('has the comment on disk when the append is acknowledged, in the log and the record, and a new hub loads it', async () => {
    const db = freshDb();
    const written = logWriteTransactions(db);
    const { client, id } = await startReview(db);
    await new Promise((r) => setTimeout(r, 300)); // the review's creation and its row written
    written.length = 0;
    const { id: eventId } = await client.request('append', { review: id, id: 'c1-abcdefgh', body: { type: 'comment.add', anchor: anchor('x'), body: 'Durable' } });
    // Its envelope is kept in the transaction that writes its update, not in one of its own.
    expect(written).toEqual(['envelopes+updates']);
    expect((await db.envelopes.where('reviewId').equals(id).toArray()).map((row) => row.id)).toContain(eventId);
    const restarted = { hub: await Hub.start(db) };
    const state = await stateOf(surface(restarted), id, (s) => s.threads.length === 1);
    expect(state.threads[0].comments[0].body).toBe('Durable');
    expect(restarted.hub.identity.publicKey).toBe(state.meta!.createdBy);
  });

  it("compacts a review's stored updates once writes pause for two seconds, not while they go on", async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    const started = performance.now();
    for (let i = 0; i < COMPACT_EVERY + 20; i++) {
      await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor(`p${i}`), body: `Comment ${i}` } });
    }
    // Still writing a moment ago: nothing compacted yet (as long as the appends took under the pause).
    if (performance.now() - started < 1_500) expect(await countUpdates(db, id)).toBeGreaterThan(COMPACT_EVERY);
    await vi.waitFor(async () => expect(await countUpdates(db, id)).toBe(0), { timeout: 6_000, interval: 100 });
    const restarted = { hub: await Hub.start(db) };
    const state = await stateOf(surface(restarted), id, (s) => s.threads.length === COMPACT_EVERY + 20);
    expect(state.threads.at(-1)!.comments[0].body).toBe(`Comment ${COMPACT_EVERY + 19}`);
  });

  it('writes back everything it holds when the database is deleted under it, before acknowledging more', async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Before' } });
    const me = current.hub.identity.publicKey;
    // The browser deletes the database (clearing browsing data does this to a running profile).
    await new Promise<void>((resolve, reject) => {
      const deletion = indexedDB.deleteDatabase(db.name);
      deletion.onsuccess = () => resolve();
      deletion.onerror = () => reject(deletion.error);
    });
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('y'), body: 'After' } });
    await client.request('set-name', { name: 'Ana Chair' });

    // What a restart finds: the same key, the review whole, the name, the dashboard's row.
    const again = new MarginsDB(db.name);
    const restarted = { hub: await Hub.start(again) };
    expect(restarted.hub.identity.publicKey).toBe(me);
    const state = await stateOf(surface(restarted), id, (s) => s.threads.length === 2);
    expect(state.threads.map((t) => t.comments[0].body)).toEqual(['Before', 'After']);
    expect(await surface(restarted).request('whoami', {})).toMatchObject({ name: 'Ana Chair' });
    expect((await surface(restarted).request('list', {})).map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it('syncs a surface that opens a review while the database is being written back', { timeout: 30_000 }, async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Kept' } });
    client.stop();
    await current.hub.stop();
    const hub = await Hub.start(db); // the browser restarted: the review on disk, not open
    // Chromium closes the database under a running profile (a full disk): the hub writes it back.
    (db.on as unknown as { close: { fire(): void } }).close.fire();
    await new Promise((r) => setTimeout(r, 200));
    const late = surface({ hub });
    const replica = new ReviewReplica(late.review(id), id);
    // Once written back (a few seconds: the hub reopens the database to be sure of it).
    await vi.waitFor(async () => expect((await replica.state()).threads.map((t) => t.comments[0].body)).toEqual(['Kept']), { timeout: 15_000, interval: 200 });
  });

  it('compacts updates piled up over short sessions, each writing fewer than a compaction waits for', { timeout: 60_000 }, async () => {
    const db = freshDb();
    let id = '';
    for (let session = 0; session < 2; session++) {
      const hub = await Hub.start(db);
      const client = surface({ hub });
      if (!id) ({ id } = await client.request('create', { nonce: randomId(), title: 'Draft', url: 'http://127.0.0.1/d', canonical: 'http://127.0.0.1/d' }));
      for (let i = 0; i < COMPACT_EVERY * 0.6; i++) await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor(`s${session}p${i}`), body: `c${i}` } });
      client.stop();
      await hub.stop();
    }
    expect(await countUpdates(db, id)).toBeGreaterThan(COMPACT_EVERY);
    const hub = await Hub.start(db);
    const state = await stateOf(surface({ hub }), id, (s) => s.threads.length === Math.ceil(COMPACT_EVERY * 0.6) * 2);
    expect(state.threads).toHaveLength(Math.ceil(COMPACT_EVERY * 0.6) * 2);
    await vi.waitFor(async () => expect(await countUpdates(db, id)).toBe(0), { timeout: 10_000, interval: 200 });
  });

  it('takes two appends at once one after the other: each judged on the other, both on one chain of its author', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    const { id: comment } = await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Hi' } });
    const twice = await Promise.allSettled(
      [0, 1].map(() => client.request('append', { review: id, id: randomId(), body: { type: 'comment.delete', comment } })),
    );
    expect(twice.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as Error).message))).toEqual(['ok', 'the comment was deleted']);
    await Promise.all(['y', 'z'].map((quote) => client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor(quote), body: quote } })));
    const state = await stateOf(surface({ hub: (await Hub.start(db)) }), id, (s) => s.threads.length === 3);
    expect(state.forks).toEqual([]);
    expect(state.rejected).toEqual([]);
  });

  it("on a full disk, later comments still reach the log behind the chair's grants (in memory, for peers, until the disk is back)", async () => {
    const db = freshDb();
    let full = false;
    failWritesWhen(db, (table) => full && table === 'updates');
    const { current, id } = await startReview(db);
    const hub = current.hub as unknown as { open(id: string): Promise<{ doc: Y.Doc }>; appendAll(review: unknown, bodies: unknown[]): Promise<void>; appendOnce(review: unknown, body: unknown): Promise<string> };
    const review = await hub.open(id);
    const before = eventLog(review.doc).length;
    full = true;
    const newcomer = await generateIdentity();
    const granted = hub.appendAll(review, [{ type: 'role.grant', subject: newcomer.publicKey, role: 'member', name: 'Bo' }]);
    const commented = hub.appendOnce(review, { type: 'comment.add', anchor: anchor('x'), body: 'While the disk is full' });
    await vi.waitFor(() => expect(eventLog(review.doc).length - before).toBe(2), { timeout: 3_000 });
    full = false;
    await Promise.all([granted, commented]); // acknowledged once written, after the retries
  });

  it('refuses an append whose signature fails, without losing the failure while the text is judged', async () => {
    const { current, client, id } = await startReview(freshDb());
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const peer = await generateIdentity();
      const fromPeer = await signEvent(peer, id, { type: 'comment.add', anchor: anchor('z'), body: 'From a peer' }, undefined, Date.now());
      const review = await (current.hub as unknown as { open(id: string): Promise<{ doc: Y.Doc }> }).open(id);
      vi.spyOn(crypto.subtle, 'sign').mockImplementationOnce(() => {
        // A peer's event arrives as the signing starts: the text's judgement waits for its fold
        // while the signature fails.
        review.doc.transact(() => eventLog(review.doc).push([fromPeer]), 'a peer');
        return Promise.reject(Object.assign(new Error('key gone'), { name: 'OperationError' }));
      });
      const refused = client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Hi' } });
      await expect(refused).rejects.toThrow('key gone');
      await new Promise((r) => setTimeout(r, 20));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      vi.restoreAllMocks();
    }
  });

  it('appends a retried request only once', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    const body = { type: 'comment.add' as const, anchor: anchor('x'), body: 'Once' };
    await Promise.all([client.request('append', { review: id, id: 'same-id-1', body }), client.request('append', { review: id, id: 'same-id-1', body })]);
    const state = await stateOf(client, id, (s) => s.threads.length >= 1);
    expect(state.threads).toHaveLength(1);
  });

  it('appends a request only once when the hub restarted after making it, before its answer arrived', { timeout: 30_000 }, async () => {
    const db = freshDb();
    const current = { hub: await Hub.start(db), dropAnswers: false };
    let hubSide!: ReturnType<typeof portPair>[1];
    const client = new HubClient(async () => {
      const [mine, theirs] = portPair();
      // The hub's page goes away with its answer on the way.
      const post = theirs.postMessage.bind(theirs);
      theirs.postMessage = (m: unknown) => (current.dropAnswers && (m as { t?: string })?.t === 'res' ? undefined : post(m));
      current.hub.connect(theirs, EXTENSION_ACCESS);
      hubSide = theirs;
      return mine;
    }).start();
    await client.request('set-name', { name: 'Ana' });
    const { id } = await client.request('create', { nonce: randomId(), title: 'Draft', url: 'http://127.0.0.1/d', canonical: 'http://127.0.0.1/d' });
    current.dropAnswers = true;
    const appended = client.request('append', { review: id, id: 'request-once-1', body: { type: 'comment.add', anchor: anchor('x'), body: 'Only once' } });
    await vi.waitFor(async () => expect((await db.envelopes.where('reviewId').equals(id).toArray()).some((r) => r.p.includes('Only once'))).toBe(true));
    await current.hub.stop();
    current.dropAnswers = false;
    current.hub = await Hub.start(db); // the same store; the surface sends what was unanswered again
    hubSide.disconnect();
    const { id: eventId } = await appended;
    const state = await stateOf(client, id, (s) => s.threads.length >= 1);
    await new Promise((r) => setTimeout(r, 300)); // a second comment, if one were coming
    expect((await new ReviewReplica(client.review(id), id).state()).threads.map((t) => t.id)).toEqual([eventId]);
    expect(state.threads).toHaveLength(1);
  });

  it('refuses an event the log would set aside, with the reason', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    await expect(client.request('append', { review: id, id: randomId(), body: { type: 'comment.edit', comment: 'A'.repeat(43), body: 'x' } })).rejects.toThrow(
      'no such comment',
    );
    await expect(client.request('append', { review: id, id: randomId(), body: { type: 'bogus' } as never })).rejects.toThrow();
  });

  it('reconnects after the hub restarts and re-sends what was unanswered', async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    const statuses: boolean[] = [];
    client.onStatus((s) => statuses.push(s.connected));
    await stateOf(client, id, (s) => !!s.meta);
    // The hub's page is torn down (offscreen document closed): ports drop, a new hub starts.
    current.hub = await Hub.start(db);
    (client as unknown as { port: { disconnect(): void } }).port.disconnect();
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('y'), body: 'After restart' } });
    const state = await stateOf(client, id, (s) => s.threads.length === 1);
    expect(state.threads[0].comments[0].body).toBe('After restart');
    expect(statuses).toContain(false);
    expect(statuses.at(-1)).toBe(true);
  });

  it('survives malformed messages from a surface', async () => {
    const db = freshDb();
    const { current, id, client } = await startReview(db);
    const [mine, theirs] = portPair();
    current.hub.connect(theirs, EXTENSION_ACCESS);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    for (const junk of [null, 'x', { t: 'sync', review: id, data: '!!!' }, { t: 'sync', review: id, data: 'AAEC' }, { t: 'req', id: 1, op: 'nope', args: {} }]) {
      mine.postMessage(junk);
    }
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('z'), body: 'Still fine' } });
    expect((await stateOf(client, id, (s) => s.threads.length === 1)).threads[0].comments[0].body).toBe('Still fine');
    warn.mockRestore();
  });

  it('imports a role grant signed by the chair elsewhere', async () => {
    const chairDb = freshDb();
    const { client: chair, id, current } = await startReview(chairDb);
    const memberHub = await Hub.start(freshDb());
    const grant = await signEvent(current.hub.identity, id, { type: 'role.grant', subject: memberHub.identity.publicKey, role: 'member', name: 'Bo' }, { t: Date.now(), c: 0 });
    await chair.request('import', { review: id, envelope: grant });
    const state = await stateOf(chair, id, (s) => Object.keys(s.members).length === 2);
    expect(state.members[memberHub.identity.publicKey]).toMatchObject({ role: 'member', name: 'Bo' });
    const forged = { ...grant, p: grant.p.replace('"member"', '"chair"') };
    await expect(chair.request('import', { review: id, envelope: forged })).rejects.toThrow('signature does not verify');
  });
});

describe('hub start-up', () => {
  it('serves requests a surface sent before the hub was ready', async () => {
    const db = freshDb();
    const [mine, theirs] = portPair();
    const replies: unknown[] = [];
    mine.onMessage.addListener((m) => replies.push(m));
    mine.postMessage({ t: 'req', id: 1, op: 'whoami', args: {} });
    const held: unknown[] = [];
    theirs.onMessage.addListener((m) => held.push(m));
    await new Promise((r) => setTimeout(r, 5));
    const hub = await Hub.start(db);
    hub.connect(theirs, EXTENSION_ACCESS, held);
    await vi.waitFor(() => expect(replies).toEqual([expect.objectContaining({ t: 'res', id: 1, ok: true })]));
  });

  it("keeps the group's option for the commenting template's fields, off by default, set by the chair", async () => {
    const db = freshDb();
    const client = surface({ hub: await Hub.start(db) });
    const { id } = await client.request('create-group', { name: 'Standards WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const fields = async (c: HubClient) => (await c.request('groups', {})).find((g) => g.id === id)?.fields;
    expect(await fields(client)).toBe(false);
    await client.request('set-group-options', { group: id, fields: true });
    expect(await fields(client)).toBe(true);
    const again = surface({ hub: await Hub.start(db) });
    expect(await fields(again)).toBe(true);
    await expect(client.request('set-group-options', { group: 'A'.repeat(22), fields: true })).rejects.toMatchObject({ code: 'errorNoGroup' });
  });

  it("shares a chair's new review with the group chosen, the one group by default, or nobody", async () => {
    const current = { hub: await Hub.start(freshDb()) };
    const client = surface(current);
    const one = await client.request('create-group', { name: 'MAG WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const ids: Record<string, string> = {};
    const create = async (name: string, group?: string | null) => {
      const url = `http://127.0.0.1/${name}`;
      ids[name] = (await client.request('create', { nonce: randomId(), title: 'Draft', url, canonical: url, ...(group !== undefined ? { group } : {}) })).id;
    };
    const groupOf = async (name: string) => (await client.request('list', {})).find((r) => r.id === ids[name])?.group;

    await create('bydefault');
    await create('nobody', null);
    expect([await groupOf('bydefault'), await groupOf('nobody')]).toEqual([one.id, undefined]);

    const two = await client.request('create-group', { name: 'Second WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    await create('ambiguous'); // two groups chaired: none unless chosen
    await create('chosen', two.id);
    expect([await groupOf('ambiguous'), await groupOf('chosen')]).toEqual([undefined, two.id]);
    await expect(create('foreign', 'not-a-group-of-mine')).rejects.toThrow(/Only the chair/);
  });

  it('keeps accepting comments after someone slips in an event stamped at the end of time', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    const stranger = await generateIdentity();
    const frozen = await signEvent(stranger, id, { type: 'comment.add', anchor: anchor('x'), body: 'freeze' }, { t: 8.64e15, c: 1e9 - 1 }, 0);
    eventLog(client.review(id)).push([frozen]); // as a peer's update would carry it
    await stateOf(client, id, (s) => s.waiting.length === 1); // listed under sync problems, not applied

    const before = Date.now();
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('framework'), body: 'Still here' } });
    const state = await stateOf(client, id, (s) => s.threads.length === 1);
    expect(state.threads[0].createdAt).toBeGreaterThanOrEqual(before);
    expect(state.threads[0].createdAt).toBeLessThan(Date.now() + 1_000);
  });

  it('puts back what a peer deletes from the shared log, for itself, its surfaces, and after a restart', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    for (const body of ['One', 'Two', 'Three']) {
      await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor(body), body } });
    }
    await stateOf(client, id, (s) => s.threads.length === 3);
    // Anyone holding the secret can do this to the shared document, and it reaches every peer.
    const log = eventLog(client.review(id));
    log.delete(0, log.length);

    // The hub heals the document: this surface, synced with it, sees everything again.
    const healed = await stateOf(client, id, (s) => s.threads.length === 3);
    expect(healed.threads.map((t) => t.comments[0].body).sort()).toEqual(['One', 'Three', 'Two']);
    expect(healed.meta?.title).toBe('Draft');

    const restarted = { hub: await Hub.start(db) };
    const state = await stateOf(surface(restarted), id, (s) => s.threads.length === 3);
    expect(state.threads).toHaveLength(3);
  });

  it('keeps and puts back what a peer replaces with malformed copies of it (an extra field), for itself, its surfaces, and after a restart', async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    for (const body of ['One', 'Two', 'Three']) {
      await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor(body), body } });
    }
    const panel = new ReviewReplica(client.review(id), id, client.vouchersFor(id));
    await vi.waitFor(async () => expect((await panel.settled()).threads).toHaveLength(3));
    const kept = await db.envelopes.where('reviewId').equals(id).count();
    // Each genuine envelope swapped for a copy with one field more: set aside as no envelope, that
    // copy says nothing of the genuine text and signature it carries.
    const doc = (await (current.hub as unknown as { reviews: Map<string, Promise<{ doc: Y.Doc }>> }).reviews.get(id)!).doc;
    doc.transact(() => {
      const log = eventLog(doc);
      const all = log.toArray() as object[];
      log.delete(0, log.length);
      log.push(all.map((e) => ({ ...e, x: 1 })));
    }, 'a peer');

    const healed = await stateOf(client, id, (s) => s.threads.length === 3);
    expect(healed.threads.map((t) => t.comments[0].body).sort()).toEqual(['One', 'Three', 'Two']);
    await vi.waitFor(async () => {
      const settled = await panel.settled();
      expect(settled.threads).toHaveLength(3);
      expect(new Set(settled.rejected.map((r) => r.reason))).toEqual(new Set(['not an event envelope']));
    });
    expect(await db.envelopes.where('reviewId').equals(id).count()).toBe(kept);
    await current.hub.stop();
    const restarted = { hub: await Hub.start(db) };
    expect((await stateOf(surface(restarted), id, (s) => s.threads.length === 3)).threads).toHaveLength(3);
  });

  it("vouches to a surface for the signatures it verified, so the surface need not verify them again", async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Verified once' } });
    const other = surface(current);
    const state = await stateOf(other, id, (s) => s.threads.length === 1);
    const envelopes = eventLog(other.review(id)).toArray() as { p: string; s: string }[];
    const { vouched } = other.vouchersFor(id);
    expect(envelopes.length).toBeGreaterThan(2);
    for (const e of envelopes) expect(vouched(e.s, e.p)).toBe(eventIdOf(e.p));
    // For that text only: another under the same signature is nobody's voucher.
    expect(vouched(envelopes[0].s, `${envelopes[0].p} `)).toBeUndefined();
    expect(state.threads[0].comments[0].body).toBe('Verified once');
  });

  it("holds a peer's events back from an open surface until it has verified them, and vouches for them first", async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    const me = await client.request('whoami', {});
    const member = await generateIdentity();
    const open = (current.hub as unknown as { reviews: Map<string, Promise<{ doc: Y.Doc }>> }).reviews.get(id)!;
    const doc = (await open).doc;
    const grant = await signEvent(current.hub.identity, id, { type: 'role.grant', subject: member.publicKey, role: 'member', name: 'Bo' }, { t: Date.now(), c: 0 }, Date.now());
    const comment = await signEvent(member, id, { type: 'comment.add', anchor: anchor('x'), body: 'From a peer' }, { t: Date.now() + 1, c: 0 }, Date.now());
    // When the surface's copy first holds the peer's comment, the voucher for it is already there.
    const seenVouched: (string | undefined)[] = [];
    await stateOf(client, id, (s) => !!s.meta); // the surface's copy is open and synced
    const replicaDoc = client.review(id);
    replicaDoc.on('update', () => {
      if (eventLog(replicaDoc).toArray().some((e) => (e as { s: string }).s === comment.s)) seenVouched.push(client.vouchersFor(id).vouched(comment.s, comment.p));
    });
    doc.transact(() => eventLog(doc).push([grant, comment]), 'a peer');
    const state = await stateOf(client, id, (s) => s.threads.length === 1);
    expect(state.threads[0].comments[0]).toMatchObject({ body: 'From a peer', author: member.publicKey });
    expect(state.members[me.publicKey].role).toBe('chair');
    expect(seenVouched[0]).toBe(eventIdOf(comment.p));
  });

  it("vouches for a peer's events taken on their author's chain at once, and takes back one whose own signature fails", async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    const { copy, bring } = await chainWithCopy(current.hub, id);
    const surfaceCopy = client.review(id);
    const replica = new ReviewReplica(surfaceCopy, id, client.vouchersFor(id));
    await vi.waitFor(async () => expect((await replica.state()).meta).toBeTruthy());
    const { vouched } = client.vouchersFor(id);
    const seen: (string | undefined)[] = [];
    surfaceCopy.on('update', () => {
      if (eventLog(surfaceCopy).toArray().some((e) => (e as { s: string }).s === copy.s)) seen.push(vouched(copy.s, copy.p));
    });
    bring();
    // When the surface's copy first holds it, the hub has vouched for it: the surface checks nothing.
    await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0));
    expect(seen[0]).toBe(eventIdOf(copy.p));
    // Its own signature then fails: the hub takes the voucher back and the surface sets it aside.
    await vi.waitFor(async () => expect((await replica.settled()).rejected.map((r) => r.reason)).toEqual(['signature does not verify']));
    expect(vouched(copy.s, copy.p)).toBeUndefined();
    expect((await replica.settled()).threads.map((t) => t.comments[0].body)).toEqual(['Second']);
  });

  it("after a restart, neither vouches for nor keeps an envelope left unchecked by the last session, and takes back the old voucher", async () => {
    const db = freshDb();
    const { current, client, id } = await startReview(db);
    const { copy, bring } = await chainWithCopy(current.hub, id);
    bring();
    await vi.waitFor(async () => expect((await client.request('state', { review: id })).rejected).toHaveLength(1));
    await current.hub.stop();
    // As if the hub had stopped after keeping the copy on its chain, before checking its signature.
    await db.envelopes.put({ reviewId: id, p: copy.p, s: copy.s, id: eventIdOf(copy.p), unsigned: true });
    const restarted = { hub: await Hub.start(db) };
    const later = surface(restarted);
    // This surface still holds the voucher the last session gave it for the copy.
    (later as unknown as { vouched(m: unknown): void }).vouched({ t: 'verified', review: id, pairs: [[copy.s, eventIdOf(copy.p), copy.p]] });
    const replica = new ReviewReplica(later.review(id), id, later.vouchersFor(id));
    await vi.waitFor(async () => expect((await replica.settled()).rejected.map((r) => r.reason)).toEqual(['signature does not verify']));
    expect((await replica.settled()).threads.map((t) => t.comments[0].body)).toEqual(['Second']);
    expect((await later.request('state', { review: id })).threads.map((t) => t.comments[0].body)).toEqual(['Second']);
    expect(later.vouchersFor(id).vouched(copy.s, copy.p)).toBeUndefined();
    await vi.waitFor(async () => expect(await db.envelopes.get([id, copy.s])).toBeUndefined());
  });

  it('hands out each due reminder once, across a restart, and the badge with it', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Open thread' } });
    const closes = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await client.request('append', { review: id, id: randomId(), body: { type: 'period.set', opens: null, closes } });
    await vi.waitFor(async () => expect((await db.reviews.get(id))?.period?.closes).toBe(closes));
    expect(await client.request('reminders', { take: false })).toEqual({ due: [], badge: { text: '1', kind: 'open' } });
    const first = await client.request('reminders', { take: true });
    expect(first.due).toEqual([expect.objectContaining({ review: id, kind: 'closed', open: 1 })]);
    expect((await client.request('reminders', { take: true })).due).toEqual([]);
    const again = surface({ hub: await Hub.start(db) });
    expect((await again.request('reminders', { take: true })).due).toEqual([]);
  });

  it('keeps the draft as the sidebar last saw it, asking for the text only when it is new, and hands it to exports', async () => {
    const db = freshDb();
    const { client, id } = await startReview(db);
    await client.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('framework'), body: 'Hello' } });
    const text = 'Scope\nThe framework is new.';
    const fingerprint = await textFingerprint(text);
    const outline = [{ level: 1, title: 'Scope', start: 0 }];
    expect(await client.request('draft-seen', { review: id, fingerprint, outline })).toEqual({ need: true });
    await expect(client.request('draft-seen', { review: id, fingerprint, outline, text: `${text}!` })).rejects.toThrow(/does not match its fingerprint/);
    await expect(client.request('draft-seen', { review: id, fingerprint, outline: [{ level: 9, title: 'x', start: 0 }], text })).rejects.toThrow();
    expect(await client.request('draft-seen', { review: id, fingerprint, outline, text })).toEqual({ need: false });
    expect(await client.request('draft-seen', { review: id, fingerprint, outline })).toEqual({ need: false });
    const again = surface({ hub: await Hub.start(db) });
    const input = await again.request('export-input', { review: id });
    expect(input.latest).toEqual({ text, outline, fingerprint });
    expect(input.outline).toBeUndefined(); // this review did not say which revision it started on
    expect(input.state.threads.map((t) => t.comments[0].body)).toEqual(['Hello']);
    await expect(client.request('draft-seen', { review: `${id.split('.')[0]}.unknownReview1`, fingerprint, outline, text })).rejects.toThrow(/no such review/);

    // A review that started on this text keeps its outline (sections follow the draft as reviewed).
    const url = 'http://127.0.0.1/d2';
    const second = (await client.request('create', { nonce: randomId(), title: 'Draft 2', url, canonical: url, fingerprint })).id;
    const unsorted = [{ level: 2, title: 'Later', start: 6 }, ...outline];
    expect(await client.request('draft-seen', { review: second, fingerprint, outline: unsorted })).toEqual({ need: true });
    expect((await client.request('export-input', { review: second })).outline).toEqual([...outline, { level: 2, title: 'Later', start: 6 }]);
  });

  it("refuses a page's content script everything: the panel, not the page, reads and writes reviews", async () => {
    const db = freshDb();
    const current = { hub: await Hub.start(db) };
    const page = new HubClient(async () => {
      const [mine, theirs] = portPair();
      current.hub.connect(theirs, PAGE_ACCESS);
      return mine;
    }).start();
    const options = surface(current);
    const { id: group } = await options.request('create-group', { name: 'MAG WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const url = 'http://127.0.0.1/d';
    const { id } = await options.request('create', { nonce: randomId(), title: 'Draft', url, canonical: url });
    await options.request('append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('x'), body: 'Secret on this page' } });
    for (const [op, args] of [
      ['whoami', {}],
      ['group-names', {}],
      ['invite', { group }],
      ['find', { canonical: url }],
      ['create', { nonce: randomId(), title: 'Hijack', url, canonical: url }],
      ['append', { review: id, id: randomId(), body: { type: 'comment.add', anchor: anchor('z'), body: 'x' } }],
      ['draft-seen', { review: id, fingerprint: 'ab', outline: [] }],
    ] as const) {
      await expect(page.request(op as never, args as never)).rejects.toThrow(/no access to the hub/);
    }
    const leaked = new ReviewReplica(page.review(id), id);
    await new Promise((r) => setTimeout(r, 200));
    expect((await leaked.state()).threads).toEqual([]); // sync: no answer
    expect((await options.request('export-input', { review: id })).state.threads).toHaveLength(1);
  });

  it('tells a surface which message to show for a refusal meant for the user', async () => {
    const { client } = await startReview(freshDb());
    await expect(client.request('set-name', { name: '   ' })).rejects.toMatchObject({ code: 'errorNameNeeded', message: 'Please enter a name.' });
    await expect(client.request('join-group', { invite: 'margins1.abc', name: 'Bo' })).rejects.toMatchObject({ code: 'inviteIncomplete' });
    await expect(client.request('invite', { group: 'nope' })).rejects.toMatchObject({ code: 'errorNoGroup' });
  });
});

describe('group directory', () => {
  it('keeps the name it had when an invite is refused', async () => {
    const { client } = await startReview(freshDb());
    await expect(client.request('join-group', { invite: 'margins1.abc', name: 'Somebody Else' })).rejects.toThrow();
    expect((await client.request('whoami', {})).name).toBe('Ana');
  });

  const dirOf = (hub: Hub, id: string) => (hub.groups as unknown as { live: Map<string, { dir: Y.Doc }> }).live.get(id)!.dir;

  it("reads an invitee's request behind any number of entries written without a key pair", async () => {
    const chair = await Hub.start(freshDb());
    const invitee = await Hub.start(freshDb());
    const { id, invite } = await chair.groups.create('Working group', ['ws://127.0.0.1:1'], []);
    // Anyone holding the group's secret can write such entries; before, 200 of them kept every
    // later request unread, and the chair never saw it.
    const dir = dirOf(chair, id);
    // And requests well formed, with the proof of the group's secret, signed by nobody: anyone
    // holding the secret can write thousands without making a key pair.
    const secret = (chair.groups as unknown as { live: Map<string, { group: { secret: string } }> }).live.get(id)!.group.secret;
    const forged = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        const key = `K${String(i).padStart(86, 'k')}`;
        const p = JSON.stringify({ kind: 'join', group: id, key, name: `x${i}`, agree: key, invite: 'a', proof: await joinProof(secret, id, key), ticket: 'a', at: 1 });
        return [key, { p, s: 'AAAA' }] as const;
      }),
    );
    dir.transact(() => {
      for (let i = 0; i < 300; i++) dir.getMap('join').set(`junk${i}`, i % 2 ? 'x' : { p: '{}', s: 'AAAA' });
      for (const [key, entry] of forged) dir.getMap('join').set(key, entry);
    }, 'a peer');
    await invitee.groups.join(invite);
    Y.applyUpdate(dir, Y.encodeStateAsUpdate(dirOf(invitee, id)), 'a peer');
    await vi.waitFor(async () => {
      const view = (await chair.groups.list()).find((g) => g.id === id)!;
      expect(view.members.map((m) => m.key)).toContain(invitee.identity.publicKey);
    });
  });
});
