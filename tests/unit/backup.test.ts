/**
 * Identity backups (lib/identity/backup.ts, lib/hub/profile-backup.ts): a lost profile's key, name
 * and groups come back in a new one from a passphrase-sealed file, and nothing else opens it.
 */
import { describe, expect, it, vi } from 'vitest';
import { Hub } from '../../lib/hub/hub';
import { EXTENSION_ACCESS } from '../../lib/hub/port-access';
import { generateAgreementKey, generateIdentity, openProfile, sealProfile, seal, sign, unseal, verify, type Identity } from '../../lib/identity';
import { HubClient } from '../../lib/sync/hub-client';
import { portPair } from '../../lib/sync/port';
import { freshDb } from './helpers';

const PASS = 'correct horse battery';

function surface(hub: Hub) {
  return new HubClient(async () => {
    const [mine, theirs] = portPair();
    hub.connect(theirs, EXTENSION_ACCESS);
    return mine;
  }).start();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `no code: ${(error as Error).message}`;
  }
  return 'resolved';
}

/** A file in the backup's format around any text: what someone knowing the passphrase could write. */
async function sealRaw(text: string, passphrase: string): Promise<string> {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const header = { format: 'margins-identity', version: 1, kdf: { name: 'PBKDF2', hash: 'SHA-256', rounds: 600_000, salt: b64(salt) }, cipher: { name: 'AES-GCM', iv: b64(iv) } };
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: 600_000 }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt']);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(JSON.stringify(header)) }, key, new TextEncoder().encode(text));
  return JSON.stringify({ ...header, data: b64(new Uint8Array(data)) });
}

describe('identity backup file', () => {
  it('brings back a key that signs as the original and opens what was sealed to it', async () => {
    const identity = await generateIdentity();
    const file = await sealProfile({ identity, name: 'Ana Chair', groups: [{ id: 'g' }], docs: [['dir.g', new Uint8Array([1, 2, 3])]] }, PASS);
    expect(file).not.toContain(identity.publicKey.slice(10)); // the key travels only inside the cipher
    const back = await openProfile(file, PASS);
    expect(back.identity.publicKey).toBe(identity.publicKey);
    expect(back.identity.keyId).toBe(identity.keyId);
    expect(await verify(identity.publicKey, 'hello', await sign(back.identity, 'hello'))).toBe(true);
    const { ephemeral, sealed } = await seal('group secret', [identity.agreement.publicKey], 'ctx');
    expect(await unseal(back.identity.agreement, ephemeral, sealed[identity.agreement.publicKey], 'ctx')).toBe('group secret');
    expect(back).toMatchObject({ name: 'Ana Chair', groups: [{ id: 'g' }], docs: [['dir.g', new Uint8Array([1, 2, 3])]] });
    // A restored profile can be backed up again.
    expect((await openProfile(await sealProfile(back, PASS), PASS)).identity.publicKey).toBe(identity.publicKey);
  });

  it('refuses a short passphrase, a wrong one, a changed file, a newer version and what is not a backup', async () => {
    const identity = await generateIdentity();
    const profile = { identity, name: '', groups: [], docs: [] };
    expect(await codeOf(sealProfile(profile, 'short'))).toBe('errorBackupPassphrase');
    const file = await sealProfile(profile, PASS);
    expect(await codeOf(openProfile(file, PASS + '!'))).toBe('errorBackupWrongPassphrase');
    const parsed = JSON.parse(file);
    const flipped = parsed.data[5] === 'A' ? 'B' : 'A';
    expect(await codeOf(openProfile(JSON.stringify({ ...parsed, data: parsed.data.slice(0, 5) + flipped + parsed.data.slice(6) }), PASS))).toBe('errorBackupWrongPassphrase');
    // More rounds than written: the header is bound to the cipher, so the file no longer opens.
    expect(await codeOf(openProfile(JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, rounds: parsed.kdf.rounds + 1 } }), PASS))).toBe('errorBackupWrongPassphrase');
    // Fewer rounds than Margins writes: refused before any work.
    expect(await codeOf(openProfile(JSON.stringify({ ...parsed, kdf: { ...parsed.kdf, rounds: 1000 } }), PASS))).toBe('errorBackupNotAFile');
    expect(await codeOf(openProfile(JSON.stringify({ ...parsed, version: 2 }), PASS))).toBe('errorBackupNewer');
    expect(await codeOf(openProfile('{"format":"w3c-annotation"}', PASS))).toBe('errorBackupNotAFile');
    expect(await codeOf(openProfile('not json at all', PASS))).toBe('errorBackupNotAFile');
  });

  it('calls a file that opens under the passphrase but holds something else "not a backup", never a raw error', async () => {
    for (const inside of ['{"publicKey":"x"}', '{"publicKey":"x","signing":{},"agreement":null}', '[1,2,3]', 'not json']) {
      expect(await codeOf(openProfile(await sealRaw(inside, PASS), PASS)), inside).toBe('errorBackupNotAFile');
    }
  });

  it('says plainly that a key from before backups cannot be exported', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    const modern = await generateIdentity();
    const legacy: Identity = { ...modern, privateKey: pair.privateKey, agreement: await generateAgreementKey() };
    expect(await codeOf(sealProfile({ identity: legacy, name: '', groups: [], docs: [] }, PASS))).toBe('errorBackupOldKey');
  });
});

describe('restoring a profile through the hub', () => {
  it('makes a new profile the chair it was, with its name and group, after the hub restarts', async () => {
    const lost = surface(await Hub.start(freshDb()));
    await lost.request('set-name', { name: 'Ana Chair' });
    const { id: group } = await lost.request('create-group', { name: 'MAG WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const who = await lost.request('whoami', {});
    const { file } = await lost.request('backup-identity', { passphrase: PASS });

    const db = freshDb();
    const fresh = await Hub.start(db);
    const restart = vi.fn();
    fresh.restart = restart;
    const client = surface(fresh);
    expect(await codeOf(client.request('restore-identity', { file, passphrase: 'wrong passphrase' }))).toBe('errorBackupWrongPassphrase');
    expect(await client.request('restore-identity', { file, passphrase: PASS })).toEqual({ publicKey: who.publicKey, keyId: who.keyId, name: 'Ana Chair' });
    await vi.waitFor(() => expect(restart).toHaveBeenCalled());
    // The old hub answers nothing more: its key is no longer the profile's.
    expect(await codeOf(client.request('whoami', {}))).toBe('errorBackupRestarting');

    const restarted = surface(await Hub.start(db));
    expect(await restarted.request('whoami', {})).toEqual(who);
    const groups = await restarted.request('groups', {});
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: group, name: 'MAG WG', chair: true });
  });

  it('refuses to replace the key of a profile that has groups or reviews of its own', async () => {
    const { file } = await surface(await Hub.start(freshDb())).request('backup-identity', { passphrase: PASS });
    const client = surface(await Hub.start(freshDb()));
    await client.request('create-group', { name: 'Other WG', signaling: ['ws://127.0.0.1:9'], iceServers: [] });
    const before = await client.request('whoami', {});
    expect(await codeOf(client.request('restore-identity', { file, passphrase: PASS }))).toBe('errorBackupNotEmpty');
    expect(await client.request('whoami', {})).toEqual(before);
  });
});
