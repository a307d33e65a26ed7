/**
 * A review's Y.Doc on disk: a snapshot plus the updates written since. Loading applies both;
 * compaction folds the updates into a new snapshot in one transaction, so a crash midway
 * leaves either the old pair or the new one, never a gap.
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

export async function compact(db: MarginsDB, reviewId: string): Promise<void> {
  await db.transaction('rw', db.snapshots, db.updates, async () => {
    const snapshot = await db.snapshots.get(reviewId);
    const updates = await db.updates.where('reviewId').equals(reviewId).sortBy('seq');
    if (!updates.length) return;
    const doc = new Y.Doc();
    if (snapshot) Y.applyUpdate(doc, snapshot.data);
    for (const u of updates) Y.applyUpdate(doc, u.data);
    const upTo = updates[updates.length - 1].seq!;
    await db.snapshots.put({ reviewId, data: Y.encodeStateAsUpdate(doc), upTo });
    await db.updates.bulkDelete(updates.map((u) => u.seq!));
    doc.destroy();
  });
}
