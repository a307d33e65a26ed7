/**
 * A review's durable writes: its Yjs updates and the rows of its verified record (lib/hub/record.ts),
 * those waiting together in one transaction. The hub's own comment is signed, kept and appended in
 * one step, so its update and its envelope commit together: one transaction per comment instead of
 * two, and the record never a write behind the log.
 */
import type { EnvelopeRecord, MarginsDB } from './db';
import { WriteBatch } from './write-batch';

type Write = { update: Uint8Array } | { signature: string; row: EnvelopeRecord | null };

export class ReviewWrites {
  private batch: WriteBatch<Write>;

  constructor(
    private db: MarginsDB,
    private reviewId: string,
    /** Durable writes, in order (the hub's queue). */
    write: (job: () => Promise<void>) => Promise<void>,
  ) {
    this.batch = new WriteBatch(write, (items) => this.flush(items));
  }

  /** Resolves once the update is committed. */
  update(update: Uint8Array): Promise<void> {
    return this.batch.push({ update });
  }

  /** Writes a kept envelope's row, or (null) its deletion; resolves once committed. */
  envelope(signature: string, row: EnvelopeRecord | null): Promise<void> {
    return this.batch.push({ signature, row });
  }

  /** One transaction; a signature's last row wins. */
  private async flush(items: Write[]): Promise<void> {
    const { db, reviewId } = this;
    const updates: { reviewId: string; data: Uint8Array }[] = [];
    const last = new Map<string, EnvelopeRecord | null>();
    for (const item of items) {
      if ('update' in item) updates.push({ reviewId, data: item.update });
      else last.set(item.signature, item.row);
    }
    const rows = [...last.values()].filter((row): row is EnvelopeRecord => row !== null);
    const gone = [...last].filter(([, row]) => row === null).map(([s]): [string, string] => [reviewId, s]);
    const writes = [
      updates.length ? () => db.updates.bulkAdd(updates) : null,
      gone.length ? () => db.envelopes.bulkDelete(gone) : null,
      rows.length ? () => db.envelopes.bulkPut(rows) : null,
    ].filter((w) => w !== null);
    // One table's write is its own transaction already (and Dexie's explicit ones cost more).
    if (writes.length === 1) return void (await writes[0]());
    await db.transaction('rw', db.updates, db.envelopes, () => Promise.all(writes.map((w) => w())));
  }
}
