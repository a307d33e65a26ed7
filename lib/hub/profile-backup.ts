/**
 * The hub's side of identity backups (lib/identity/backup.ts): what goes into one, and restoring
 * one into a profile that has nothing of its own yet. Restoring replaces the profile's key, so the
 * hub that did it must be restarted (startHub reloads its page).
 */
import * as Y from 'yjs';
import { openProfile, sealProfile, type Identity } from '../identity';
import type { Group } from '../groups/group';
import type { MarginsDB } from '../store/db';
import { UserError } from '../user-error';

export function backupOf(identity: Identity, name: string, held: { groups: Group[]; docs: [string, Y.Doc][] }, passphrase: string): Promise<string> {
  return sealProfile({ identity, name, groups: held.groups, docs: held.docs.map(([key, doc]) => [key, Y.encodeStateAsUpdate(doc)]) }, passphrase);
}

/**
 * Writes the backup's identity, name, groups and their directories into `db`. Refused where the
 * profile has reviews or groups of its own: they were made under its present key, which the
 * restored one replaces.
 */
export async function restoreInto(db: MarginsDB, current: Identity, file: string, passphrase: string): Promise<{ publicKey: string; keyId: string; name: string }> {
  const profile = await openProfile(file, passphrase);
  if (profile.identity.publicKey === current.publicKey) {
    throw new UserError('errorBackupSameKey', 'This browser already holds the identity in that backup.');
  }
  const groups = profile.groups.filter(isGroup);
  const ids = new Set(groups.map((g) => g.id));
  // Only the documents of the groups restored, under the names the hub gives them.
  const docs = profile.docs.filter(([key]) => /^(dir|handover)\./.test(key) && ids.has(key.slice(key.indexOf('.') + 1)));
  await db.transaction('rw', [db.settings, db.groups, db.snapshots, db.reviews], async () => {
    // Inside the transaction: a group made at the same moment cannot slip in between.
    if ((await db.reviews.count()) > 0 || (await db.groups.count()) > 0) {
      throw new UserError('errorBackupNotEmpty', 'This profile already has reviews or groups of its own: restore the backup in a new browser profile.');
    }
    await db.settings.put({ key: 'identity', value: profile.identity });
    await db.settings.put({ key: 'name', value: profile.name });
    await db.groups.bulkPut(groups);
    for (const [key, data] of docs) await db.snapshots.put({ reviewId: key, data, upTo: 0 });
  });
  return { publicKey: profile.identity.publicKey, keyId: profile.identity.keyId, name: profile.name };
}

/** Enough of a group for the hub to start with it; anything else in a backup is left out. */
function isGroup(g: unknown): g is Group {
  const x = g as Partial<Group> | null;
  const strings = (a: unknown) => Array.isArray(a) && a.every((v) => typeof v === 'string');
  return (
    typeof x?.id === 'string' &&
    typeof x.name === 'string' &&
    typeof x.secret === 'string' &&
    typeof x.chair === 'string' &&
    typeof x.epoch === 'number' &&
    strings(x.past) &&
    strings(x.signaling) &&
    Array.isArray(x.iceServers) &&
    x.iceServers.every((s) => typeof s === 'object' && s !== null && (typeof s.urls === 'string' || strings(s.urls)))
  );
}
