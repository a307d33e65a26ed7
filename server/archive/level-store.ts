/**
 * The archive peer's disk: LevelDB (classic-level) under the hub's own database. The hub is the
 * browser's, unchanged, over Dexie; in Node its IndexedDB (fake-indexeddb) lives in memory. This
 * mirrors every committed write of every table into LevelDB, and puts it all back before the hub
 * starts. Rows rather than Yjs documents, because the hub's verified record, its group directory
 * and its key-value settings must survive a restart as much as the reviews' updates do.
 *
 * A write reaches LevelDB once its IndexedDB transaction has committed (an aborted one writes
 * nothing), in one LevelDB batch per transaction, in commit order.
 */
import { deserialize, serialize } from 'node:v8';
import { ClassicLevel } from 'classic-level';
import type Dexie from 'dexie';
import type { DBCore, DBCoreKeyRange, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable } from 'dexie';

type Op = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/** Rows never written to disk here: the identity holds CryptoKeys, and comes from the key file. */
const SKIP: Record<string, (key: unknown) => boolean> = { settings: (key) => key === 'identity' };

const SEP = 0;
const keyOf = (table: string, key: unknown) => Buffer.concat([Buffer.from(table), Buffer.from([SEP]), serialize(key)]);

function tableOf(raw: Buffer): { table: string; key: unknown } {
  const at = raw.indexOf(SEP);
  return { table: raw.subarray(0, at).toString(), key: deserialize(raw.subarray(at + 1)) };
}

export class LevelStore {
  private level: ClassicLevel<Buffer, Buffer>;
  /** Primary keys held per table (serialised → key), for deleteRange and clear. */
  private keys = new Map<string, Map<string, unknown>>();
  /** LevelDB batches in commit order. */
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | null = null;

  constructor(dir: string) {
    this.level = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  }

  /** Puts every stored row back into `db` (opened, empty), then mirrors its writes from now on. */
  async attach(db: Dexie, cmp: (a: unknown, b: unknown) => number): Promise<{ rows: number }> {
    await this.level.open();
    const rows = new Map<string, unknown[]>();
    for await (const [raw, value] of this.level.iterator()) {
      const { table, key } = tableOf(raw);
      (rows.get(table) ?? rows.set(table, []).get(table)!).push(deserialize(value));
      this.held(table).set(raw.toString('base64'), key);
    }
    let count = 0;
    for (const [table, values] of rows) {
      if (!db.tables.some((t) => t.name === table)) continue; // a table of a newer version: left on disk
      await db.table(table).bulkPut(values);
      count += values.length;
    }
    db.use({ stack: 'dbcore', name: 'level-mirror', create: (down) => this.middleware(down, cmp) });
    // Middleware applies to the database opened next: reopen so every later write goes through it.
    db.close();
    await db.open();
    return { rows: count };
  }

  /** Resolves once every committed write is on disk (rejects if one could not be written). */
  async flush(): Promise<void> {
    await this.writing;
    if (this.failed) throw this.failed;
  }

  async close(): Promise<void> {
    await this.writing.catch(() => {});
    await this.level.close();
  }

  private held(table: string): Map<string, unknown> {
    return this.keys.get(table) ?? this.keys.set(table, new Map()).get(table)!;
  }

  private middleware(down: DBCore, cmp: (a: unknown, b: unknown) => number): DBCore {
    return {
      ...down,
      table: (name: string): DBCoreTable => {
        const table = down.table(name);
        return {
          ...table,
          mutate: async (req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
            const res = await table.mutate(req);
            const ops = this.opsFor(name, req, res, cmp);
            if (ops.length) this.onCommit(req.trans as unknown as IDBTransaction, name, ops);
            return res;
          },
        };
      },
    };
  }

  private opsFor(table: string, req: DBCoreMutateRequest, res: DBCoreMutateResponse, cmp: (a: unknown, b: unknown) => number): Op[] {
    const skip = SKIP[table] ?? (() => false);
    const failed = (i: number) => !!res.failures?.[i];
    if (req.type === 'add' || req.type === 'put') {
      const keys = (res.results ?? req.keys ?? []) as unknown[];
      return req.values.flatMap((value, i) => (failed(i) || keys[i] === undefined || skip(keys[i]) ? [] : [{ type: 'put' as const, key: keyOf(table, keys[i]), value: serialize(value) }]));
    }
    if (req.type === 'delete') return req.keys.filter((k) => !skip(k)).map((k) => ({ type: 'del' as const, key: keyOf(table, k) }));
    if (req.type === 'deleteRange') {
      return [...this.held(table).values()].filter((k) => inRange(k, req.range, cmp)).map((k) => ({ type: 'del' as const, key: keyOf(table, k) }));
    }
    return [];
  }

  private onCommit(trans: IDBTransaction, table: string, ops: Op[]): void {
    trans.addEventListener('complete', () => {
      const held = this.held(table);
      for (const op of ops) {
        const id = op.key.toString('base64');
        if (op.type === 'put') held.set(id, tableOf(op.key).key);
        else held.delete(id);
      }
      this.writing = this.writing.then(() =>
        this.level.batch(ops).catch((error: Error) => {
          this.failed = error;
          console.error(JSON.stringify({ time: new Date().toISOString(), event: 'disk-write-failed', error: error.message }));
        }),
      );
    });
  }
}

function inRange(key: unknown, range: DBCoreKeyRange, cmp: (a: unknown, b: unknown) => number): boolean {
  if (range.lower !== undefined) {
    const c = cmp(key, range.lower);
    if (c < 0 || (c === 0 && range.lowerOpen)) return false;
  }
  if (range.upper !== undefined) {
    const c = cmp(key, range.upper);
    if (c > 0 || (c === 0 && range.upperOpen)) return false;
  }
  return true;
}
