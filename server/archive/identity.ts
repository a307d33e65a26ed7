/**
 * The archive peer's key pair. A browser keeps its private key non-extractable inside IndexedDB;
 * a server process has no such store, so its keys live in one file in its data directory, readable
 * by its owner only (as an SSH host key does). Losing the file means a new device: the chair admits
 * it again. The keys are used as non-extractable CryptoKeys once loaded.
 */
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { keyIdOf, type Identity } from '../../lib/identity';
import { toBase64Url } from '../../lib/identity/base64url';

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

interface KeyFile {
  v: 1;
  sign: { publicKey: string; privateJwk: JsonWebKey };
  agreement: { publicKey: string; privateJwk: JsonWebKey };
}

async function fresh(algorithm: typeof ECDSA | typeof ECDH, usages: KeyUsage[]): Promise<{ publicKey: string; privateJwk: JsonWebKey }> {
  const pair = (await crypto.subtle.generateKey(algorithm, true, usages)) as CryptoKeyPair;
  return { publicKey: toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))), privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey) };
}

/** Reads the key file, or makes one (mode 0600) on the first start. */
export async function loadOrCreateServerIdentity(file: string): Promise<Identity> {
  let keys: KeyFile;
  if (existsSync(file)) {
    keys = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    if (keys.v !== 1 || !keys.sign?.privateJwk || !keys.agreement?.privateJwk) throw new Error(`${file} is not a Margins key file`);
  } else {
    keys = { v: 1, sign: await fresh(ECDSA, ['sign', 'verify']), agreement: await fresh(ECDH, ['deriveBits']) };
    writeFileSync(`${file}.tmp`, JSON.stringify(keys), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
  const privateKey = await crypto.subtle.importKey('jwk', keys.sign.privateJwk, ECDSA, false, ['sign']);
  const agreement = await crypto.subtle.importKey('jwk', keys.agreement.privateJwk, ECDH, false, ['deriveBits']);
  return { publicKey: keys.sign.publicKey, keyId: await keyIdOf(keys.sign.publicKey), privateKey, agreement: { publicKey: keys.agreement.publicKey, privateKey: agreement } };
}
