import { describe, expect, it } from 'vitest';
import { DurableQueue, ReviewWrites, WriteBatch } from '../../lib/store';
import { failWritesWhen, freshDb, logWriteTransactions } from './helpers';

describe('writes that wait together go together', () => {
  it('writes what waits in one batch, in order, and resolves each write once its batch is committed', async () => {
    const queue = new DurableQueue();
    const flushed: string[][] = [];
    const batch = new WriteBatch<string>((job) => queue.write(job), async (items) => void flushed.push([...items]));
    let release!: () => void;
    const busy = queue.write(() => new Promise<void>((r) => (release = r)));
    const committed: string[] = [];
    const writes = ['a', 'b', 'c'].map((x) => batch.push(x).then(() => committed.push(x)));
    await Promise.resolve();
    expect(committed).toEqual([]); // not before the queue gets to them
    release();
    await Promise.all([busy, ...writes]);
    expect(flushed).toEqual([['a', 'b', 'c']]);
    expect(committed).toEqual(['a', 'b', 'c']);
    // The queue idle: the next write goes at once, in a batch of its own.
    await batch.push('d');
    expect(flushed).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('takes into one batch what the same task writes, though the queue is idle when the first comes', async () => {
    const queue = new DurableQueue();
    const flushed: string[][] = [];
    const batch = new WriteBatch<string>((job) => queue.write(job), async (items) => void flushed.push([...items]));
    await Promise.all([batch.push('envelope'), batch.push('update')]);
    expect(flushed).toEqual([['envelope', 'update']]);
  });

  it('starts a new batch for what comes while one is being written, and retries a failed batch whole', async () => {
    const queue = new DurableQueue(() => {}, () => 0);
    const flushed: string[][] = [];
    let fail = true;
    let second: Promise<void> | undefined;
    const batch = new WriteBatch<string>(
      (job) => queue.write(job),
      async (items) => {
        flushed.push([...items]);
        if (items[0] === 'a' && !second) second = batch.push('b'); // arrives while the first is written
        if (fail) {
          fail = false;
          throw Object.assign(new Error('disk full'), { name: 'QuotaExceededError' });
        }
      },
    );
    await batch.push('a');
    await second;
    expect(flushed).toEqual([['a'], ['a'], ['b']]);
  });

  it("writes a review's update and its kept envelope in one transaction: both or, after a failure, neither", async () => {
    const db = freshDb();
    const transactions = logWriteTransactions(db);
    let failures = 1;
    failWritesWhen(db, (table) => table === 'envelopes' && failures-- > 0);
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const queue = new DurableQueue((status) => !status.ok && failed(), () => 100);
    const writes = new ReviewWrites(db, 'r1', (job) => queue.write(job));
    const both = Promise.all([writes.envelope('sig', { reviewId: 'r1', p: '{}', s: 'sig', id: 'e1' }), writes.update(new Uint8Array([1, 2]))]);
    await firstFailure;
    expect(await db.updates.count()).toBe(0); // went back with the envelope's failed write
    await both;
    expect([await db.updates.count(), await db.envelopes.count()]).toEqual([1, 1]);
    expect(transactions).toEqual(['envelopes+updates', 'envelopes+updates']);
  });
});
