/** This profile's identity and display name, kept in the hub's database. */
import { generateAgreementKey, generateIdentity, type Identity } from '../identity';
import type { MarginsDB } from './db';

export async function loadOrCreateIdentity(db: MarginsDB): Promise<Identity> {
  const existing = (await db.settings.get('identity'))?.value as Identity | undefined;
  if (existing?.agreement) return existing;
  if (existing) {
    // A profile from before key agreement: give it one, keeping its signing key.
    const upgraded = { ...existing, agreement: await generateAgreementKey() };
    return db.transaction('rw', db.settings, async () => {
      const now = (await db.settings.get('identity'))!.value as Identity;
      if (now.agreement) return now;
      await db.settings.put({ key: 'identity', value: upgraded });
      return upgraded;
    });
  }
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
