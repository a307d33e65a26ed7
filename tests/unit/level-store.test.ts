import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { LevelStore } from '../../server/archive/level-store';
import { MarginsDB } from '../../lib/store/db';

const cmp = (a: unknown, b: unknown) => indexedDB.cmp(a, b);
let n = 0;

/** A hub database in memory, restored from (and mirrored to) LevelDB in `dir`. */
async function open(dir: string) {
  const db = new MarginsDB(`level-test-${n++}`);
  await db.open();
  const store = new LevelStore(dir);
  const { rows } = await store.attach(db, cmp);
  return { db, store, rows };
}

describe("the archive peer's disk", () => {
  it('puts back every committed row after a restart, and nothing a failed transaction wrote', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'margins-level-'));
    let { db, store } = await open(dir);
    await db.settings.put({ key: 'name', value: 'Archive' });
    await db.settings.put({ key: 'identity', value: { secret: 'never on disk' } });
    await db.updates.bulkAdd([
      { reviewId: 'r1', update: new Uint8Array([1, 2, 3]) },
      { reviewId: 'r1', update: new Uint8Array([4]) },
      { reviewId: 'r2', update: new Uint8Array([5]) },
    ] as never);
    await db.envelopes.put({ reviewId: 'r1', s: 'sig', envelope: 'x' } as never);
    await db.updates.where('reviewId').equals('r2').delete();
    await expect(
      db.transaction('rw', db.settings, async () => {
        await db.settings.put({ key: 'lost', value: 1 });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await store.flush();
    db.close();
    await store.close();

    ({ db, store } = await open(dir));
    expect(await db.settings.get('name')).toEqual({ key: 'name', value: 'Archive' });
    expect(await db.settings.get('identity')).toBeUndefined();
    expect(await db.settings.get('lost')).toBeUndefined();
    expect((await db.updates.toArray()).map((u) => [u.reviewId, [...(u as unknown as { update: Uint8Array }).update]])).toEqual([
      ['r1', [1, 2, 3]],
      ['r1', [4]],
    ]);
    expect(await db.envelopes.count()).toBe(1);

    // clear() is a range delete over the whole table.
    await db.updates.clear();
    await store.flush();
    db.close();
    await store.close();
    ({ db, store } = await open(dir));
    expect(await db.updates.count()).toBe(0);
    expect(await db.settings.count()).toBe(1);
    db.close();
    await store.close();
  });
});
