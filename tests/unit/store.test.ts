import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { appendUpdate, compact, countUpdates, DurableQueue, loadOrCreateIdentity, loadReview, type StorageStatus } from '../../lib/store';
import { sign, verify } from '../../lib/identity';
import { failWritesWhen, freshDb } from './helpers';

function edit(doc: Y.Doc, text: string): Uint8Array {
  let update: Uint8Array | null = null;
  const grab = (u: Uint8Array) => (update = u);
  doc.on('update', grab);
  doc.getArray<string>('events').push([text]);
  doc.off('update', grab);
  return update!;
}

describe('review storage', () => {
  it('round-trips a review through updates, compaction, and more updates', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    for (let i = 0; i < 30; i++) await appendUpdate(db, 'r.1', edit(doc, `e${i}`));
    await appendUpdate(db, 'other.1', edit(new Y.Doc(), 'not mine'));
    await compact(db, 'r.1', doc);
    expect(await countUpdates(db, 'r.1')).toBe(0);
    for (let i = 30; i < 35; i++) await appendUpdate(db, 'r.1', edit(doc, `e${i}`));

    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await loadReview(db, 'r.1'))!);
    expect(loaded.getArray('events').toArray()).toEqual(doc.getArray('events').toArray());
    expect(loaded.getArray('events').length).toBe(35);
    expect(await countUpdates(db, 'other.1')).toBe(1);
    expect(await loadReview(db, 'missing.1')).toBeNull();
  });

  it('loses nothing written while a compaction runs', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) await appendUpdate(db, 'r.1', edit(doc, `e${i}`));
    // Changes reach the document before their updates reach the store: some are in neither the
    // snapshot's range nor yet on disk when the compaction reads, some land while it writes.
    const late = edit(doc, 'in memory first');
    const running = compact(db, 'r.1', doc);
    const more = [appendUpdate(db, 'r.1', late), appendUpdate(db, 'r.1', edit(doc, 'during'))];
    await Promise.all([running, ...more]);
    await appendUpdate(db, 'r.1', edit(doc, 'after'));
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await loadReview(db, 'r.1'))!);
    expect(loaded.getArray('events').toArray()).toEqual(doc.getArray('events').toArray());
    expect(loaded.getArray('events').length).toBe(23);
    expect(await countUpdates(db, 'r.1')).toBeLessThanOrEqual(3);
  });

  it('a compaction told its database was replaced meanwhile writes nothing into it', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    for (let i = 0; i < 5; i++) await appendUpdate(db, 'r.1', edit(doc, `e${i}`));
    await compact(db, 'r.1', doc, () => false);
    expect(await countUpdates(db, 'r.1')).toBe(5);
    expect(await db.snapshots.get('r.1')).toBeUndefined();
  });

  it('compaction twice in a row loses nothing', async () => {
    const db = freshDb();
    const doc = new Y.Doc();
    await appendUpdate(db, 'r.1', edit(doc, 'a'));
    await compact(db, 'r.1', doc);
    await appendUpdate(db, 'r.1', edit(doc, 'b'));
    await compact(db, 'r.1', doc);
    await compact(db, 'r.1', doc);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await loadReview(db, 'r.1'))!);
    expect(loaded.getArray('events').toArray()).toEqual(['a', 'b']);
  });

  it('keeps one identity per profile, whose key signs after loading again', async () => {
    const db = freshDb();
    const [a, b] = await Promise.all([loadOrCreateIdentity(db), loadOrCreateIdentity(db)]);
    const again = await loadOrCreateIdentity(db);
    expect(again.publicKey).toBe(a.publicKey);
    expect(b.publicKey).toBe(a.publicKey);
    expect(await verify(a.publicKey, 'hello', await sign(again, 'hello'))).toBe(true);
  });
});

describe('durable writes', () => {
  it('keeps a failed write in memory, reports it, and commits it on retry', async () => {
    const db = freshDb();
    let failuresLeft = 2;
    // The next writes fail as on a full disk.
    failWritesWhen(db, () => failuresLeft-- > 0);
    const statuses: StorageStatus[] = [];
    const queue = new DurableQueue((s) => statuses.push(s), () => 60_000);
    const doc = new Y.Doc();
    const [a, b] = [edit(doc, 'a'), edit(doc, 'b')];
    const first = queue.write(() => appendUpdate(db, 'r.1', a));
    const second = queue.write(() => appendUpdate(db, 'r.1', b));
    let settled = false;
    void first.then(() => (settled = true));
    await vi.waitFor(() => expect(statuses.length).toBeGreaterThan(0));
    expect(settled).toBe(false);
    expect(statuses[0]).toMatchObject({ ok: false, pending: 2 });
    expect(statuses[0].message).toMatch(/disk is full/);
    queue.retryNow(); // the user presses "retry": still failing
    await vi.waitFor(() => expect(statuses.length).toBe(2));
    expect(settled).toBe(false);
    queue.retryNow();
    await Promise.all([first, second]);
    expect(statuses.at(-1)).toEqual({ ok: true, pending: 1 });
    expect(queue.pending).toBe(0);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await loadReview(db, 'r.1'))!);
    expect(loaded.getArray('events').toArray()).toEqual(['a', 'b']);
  });

  it('runs writes one at a time, in order, and resolves each after its commit', async () => {
    const log: string[] = [];
    const queue = new DurableQueue();
    const slow = (n: number) => async () => {
      log.push(`start ${n}`);
      await new Promise((r) => setTimeout(r, 3 - n));
      log.push(`commit ${n}`);
    };
    await Promise.all([1, 2, 3].map((n) => queue.write(slow(n)).then(() => log.push(`resolved ${n}`))));
    expect(log.filter((l) => !l.startsWith('resolved'))).toEqual(['start 1', 'commit 1', 'start 2', 'commit 2', 'start 3', 'commit 3']);
    for (const n of [1, 2, 3]) expect(log.indexOf(`resolved ${n}`)).toBeGreaterThan(log.indexOf(`commit ${n}`));
  });
});
