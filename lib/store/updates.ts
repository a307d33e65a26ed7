/**
 * A review's Y.Doc on disk: a snapshot plus the updates written since. Loading applies both;
 * compaction replaces the snapshot and removes the updates it covers in one transaction, so a
 * crash midway leaves either the old pair or the new one, never a gap.
 */
import * as Y from 'yjs';
import type { MarginsDB } from './db';

export const COMPACT_EVERY = 200;

export async function appendUpdate(db: MarginsDB, reviewId: string, data: Uint8Array): Promise<void> {
  await db.updates.add({ reviewId, data });
}

/** All stored state of a review as one Yjs update, or null when nothing is stored. */
export async function loadReview(db: MarginsDB, reviewId: string): Promise<Uint8Array | null> {
  return db.transaction('r', db.snapshots, db.updates, async () => {
    const snapshot = await db.snapshots.get(reviewId);
    const updates = await db.updates.where('reviewId').equals(reviewId).sortBy('seq');
    const parts = [...(snapshot ? [snapshot.data] : []), ...updates.map((u) => u.data)];
    return parts.length ? Y.mergeUpdates(parts) : null;
  });
}

export async function countUpdates(db: MarginsDB, reviewId: string): Promise<number> {
  return db.updates.where('reviewId').equals(reviewId).count();
}

/**
 * Writes the review's live document as its snapshot and removes the updates it covers. Off the
 * write path (issue 14: rebuilding the document inside the write queue stalled every write for
 * half a second at 20,000 events): the snapshot is encoded from the document in memory, and the
 * one transaction only puts it and deletes the covered updates by key. Which updates it covers is
 * read before it is encoded: each of those was written after its change reached the document.
 * Updates written meanwhile stay, and applying one twice changes nothing. `sameDatabase` says
 * whether the database is still the one whose keys were read.
 */
export async function compact(db: MarginsDB, reviewId: string, doc: Y.Doc, sameDatabase: () => boolean = () => true): Promise<void> {
  // By key, not by a cursor filtering the index: fake-indexeddb steps a cursor in time that grows
  // with the store, and 5,000 updates deleted that way held the updates table (and so every
  // append) for 8 s; a browser pays a round trip per step.
  const covered = (await db.updates.where('reviewId').equals(reviewId).primaryKeys()) as number[];
  if (!covered.length) return;
  const upTo = covered.reduce((a, b) => Math.max(a, b));
  const data = Y.encodeStateAsUpdate(doc);
  await db.transaction('rw', db.snapshots, db.updates, async () => {
    // The database was lost meanwhile and is being written back from memory (the hub's restore):
    // this snapshot, encoded before, is older than the one written back, and the keys it covers
    // are another database's.
    if (!sameDatabase()) return;
    // Another compaction got further meanwhile: its snapshot stands.
    if (((await db.snapshots.get(reviewId))?.upTo ?? 0) >= upTo) return;
    await db.snapshots.put({ reviewId, data, upTo });
    await db.updates.bulkDelete(covered);
  });
}
