/** This profile's identity and display name, kept in the hub's database. */
import { generateIdentity, type Identity } from '../identity';
import type { MarginsDB } from './db';

export async function loadOrCreateIdentity(db: MarginsDB): Promise<Identity> {
  const existing = (await db.settings.get('identity'))?.value as Identity | undefined;
  if (existing) return existing;
  const identity = await generateIdentity();
  // Two hubs starting at once must end with one identity: add fails if another won the race.
  try {
    await db.settings.add({ key: 'identity', value: identity });
    return identity;
  } catch {
    return (await db.settings.get('identity'))!.value as Identity;
  }
}

export async function getDisplayName(db: MarginsDB): Promise<string> {
  return ((await db.settings.get('name'))?.value as string | undefined) ?? '';
}

export async function setDisplayName(db: MarginsDB, name: string): Promise<void> {
  await db.settings.put({ key: 'name', value: name });
}
