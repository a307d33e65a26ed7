import { describe, expect, it } from 'vitest';
import { DurableQueue, WriteBatch } from '../../lib/store';

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
});
