/**
 * The archive peer's disk: LevelDB (classic-level) under the hub's own database. The hub is the
 * browser's, unchanged, over Dexie; in Node its IndexedDB (fake-indexeddb) lives in memory. This
 * mirrors every committed write of every table into LevelDB, and puts it all back before the hub
 * starts. Rows rather than Yjs documents, because the hub's verified record, its group directory
 * and its key-value settings must survive a restart as much as the reviews' updates do.
 *
 * A write reaches LevelDB once its IndexedDB transaction has committed (an aborted one writes
 * nothing), in one LevelDB batch per transaction, in commit order. Keys are encoded canonically
 * (JSON of the hub's key types: strings, numbers, arrays of them), so one row always has one key.
 */
import { deserialize, serialize } from 'node:v8';
import { ClassicLevel } from 'classic-level';
import type Dexie from 'dexie';
import type { DBCore, DBCoreKeyRange, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable } from 'dexie';

type Op = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/** Rows never written to disk here: the identity holds CryptoKeys, and comes from the key file. */
const SKIP: Record<string, (key: unknown) => boolean> = { settings: (key) => key === 'identity' };

const SEP = 0;

/** The hub's primary keys are strings, numbers and arrays of them (compound keys): JSON is canonical for those. */
function encodeKey(key: unknown): string {
  const ok = (k: unknown): boolean => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)) || (Array.isArray(k) && k.every(ok));
  if (!ok(key)) throw new Error(`a primary key this store cannot encode: ${String(key)}`);
  return JSON.stringify(key);
}

const keyOf = (table: string, key: unknown) => Buffer.concat([Buffer.from(table), Buffer.from([SEP]), Buffer.from(encodeKey(key))]);

function tableOf(raw: Buffer): { table: string; key: unknown } {
  const at = raw.indexOf(SEP);
  return { table: raw.subarray(0, at).toString(), key: JSON.parse(raw.subarray(at + 1).toString()) };
}

/** One table's change, resolved to LevelDB operations when its transaction commits. */
type Change = { table: string; ops: Op[] } | { table: string; range: DBCoreKeyRange };

export class LevelStore {
  private level: ClassicLevel<Buffer, Buffer>;
  /** Primary keys held per table (serialised → key), for deleteRange and clear. */
  private keys = new Map<string, Map<string, unknown>>();
  /** LevelDB batches in commit order. */
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | null = null;
  /** Changes of each open transaction, written together once it commits. */
  private open = new WeakMap<IDBTransaction, Change[]>();
  private cmp: (a: unknown, b: unknown) => number = () => 0;

  constructor(dir: string) {
    this.level = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  }

  /** Puts every stored row back into `db` (opened, empty), then mirrors its writes from now on. */
  async attach(db: Dexie, cmp: (a: unknown, b: unknown) => number): Promise<{ rows: number }> {
    this.cmp = cmp;
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
    db.use({ stack: 'dbcore', name: 'level-mirror', create: (down) => this.middleware(down) });
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

  /** The first write the disk refused, if any (the group server reports it on /health). */
  get error(): Error | null {
    return this.failed;
  }

  async close(): Promise<void> {
    await this.writing.catch(() => {});
    await this.level.close();
  }

  private held(table: string): Map<string, unknown> {
    return this.keys.get(table) ?? this.keys.set(table, new Map()).get(table)!;
  }

  private middleware(down: DBCore): DBCore {
    return {
      ...down,
      table: (name: string): DBCoreTable => {
        const table = down.table(name);
        return {
          ...table,
          mutate: async (req: DBCoreMutateRequest): Promise<DBCoreMutateResponse> => {
            const res = await table.mutate(req);
            const change = this.changeFor(name, req, res);
            if (change) this.record(req.trans as unknown as IDBTransaction, change);
            return res;
          },
        };
      },
    };
  }

  private changeFor(table: string, req: DBCoreMutateRequest, res: DBCoreMutateResponse): Change | null {
    const skip = SKIP[table] ?? (() => false);
    const failed = (i: number) => !!res.failures?.[i];
    if (req.type === 'add' || req.type === 'put') {
      const keys = (res.results ?? req.keys ?? []) as unknown[];
      const ops = req.values.flatMap((value, i) => (failed(i) || keys[i] === undefined || skip(keys[i]) ? [] : [{ type: 'put' as const, key: keyOf(table, keys[i]), value: serialize(value) }]));
      return ops.length ? { table, ops } : null;
    }
    if (req.type === 'delete') {
      const ops = req.keys.filter((k) => !skip(k)).map((k) => ({ type: 'del' as const, key: keyOf(table, k) }));
      return ops.length ? { table, ops } : null;
    }
    // Which rows a range covers is known only once the transaction's earlier changes are counted.
    if (req.type === 'deleteRange') return { table, range: req.range };
    return null;
  }

  private record(trans: IDBTransaction, change: Change): void {
    let changes = this.open.get(trans);
    if (!changes) {
      changes = [];
      this.open.set(trans, changes);
      trans.addEventListener('complete', () => this.commit(changes!));
      trans.addEventListener('abort', () => this.open.delete(trans));
    }
    changes.push(change);
  }

  /** The transaction committed: its changes, in order, as one LevelDB batch. */
  private commit(changes: Change[]): void {
    const batch: Op[] = [];
    for (const change of changes) {
      const held = this.held(change.table);
      const ops =
        'ops' in change ? change.ops : [...held.values()].filter((k) => inRange(k, change.range, this.cmp)).map((k) => ({ type: 'del' as const, key: keyOf(change.table, k) }));
      for (const op of ops) {
        const id = op.key.toString('base64');
        if (op.type === 'put') held.set(id, tableOf(op.key).key);
        else held.delete(id);
      }
      batch.push(...ops);
    }
    if (!batch.length) return;
    this.writing = this.writing.then(() =>
      this.level.batch(batch).catch((error: Error) => {
        this.failed ??= error;
        console.error(JSON.stringify({ time: new Date().toISOString(), event: 'disk-write-failed', error: error.message }));
      }),
    );
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
