/**
 * A reviewer's identity: one ECDSA P-256 key pair per browser profile.
 * P-256 rather than Ed25519 because every WebCrypto we target (Chromium, Firefox, Node 20) has it.
 * The private key is persisted as a CryptoKey object (structured clone) in the hub's database and
 * is handed to no other surface. It is extractable only so that the hub can seal it under the
 * user's passphrase for a backup (backup.ts): the key material sits in the profile's storage on
 * disk either way, and a script able to reach the CryptoKey could sign with it anyway. Profiles
 * made before backups hold non-extractable keys; they sign as before but cannot be backed up.
 */
import { fromBase64Url, toBase64Url } from './base64url';
import { sha256 } from './digest';
import { generateAgreementKey, type AgreementKey } from './sealing';

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const encoder = new TextEncoder();

export interface Identity {
  /** Raw uncompressed public key, base64url: what events carry as their author. */
  publicKey: string;
  /** Short stable id of the public key (see keyIdOf). */
  keyId: string;
  privateKey: CryptoKey;
  /** For receiving a group's new secret sealed to this profile (see sealing.ts). */
  agreement: AgreementKey;
}

export async function generateIdentity(): Promise<Identity> {
  const pair = await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const publicKey = toBase64Url(raw);
  return { publicKey, keyId: await keyIdOf(publicKey), privateKey: pair.privateKey, agreement: await generateAgreementKey() };
}

const keyIds = new Map<string, Promise<string>>();

/** First 128 bits of SHA-256 of the raw public key, base64url (22 characters). */
export function keyIdOf(publicKey: string): Promise<string> {
  // A review has a dozen authors and thousands of events: digest each key once.
  let id = keyIds.get(publicKey);
  if (!id) {
    id = sha256(fromBase64Url(publicKey)).then((digest) => toBase64Url(digest.subarray(0, 16)));
    if (keyIds.size > 10_000) keyIds.clear();
    keyIds.set(publicKey, id);
  }
  return id;
}

/** Groups of four characters of the key id, for people comparing keys by eye. */
export function fingerprint(keyId: string): string {
  return keyId.slice(0, 16).match(/.{1,4}/g)!.join(' ');
}

export async function sign(identity: Identity, data: string): Promise<string> {
  const sig = await crypto.subtle.sign(SIGN, identity.privateKey, encoder.encode(data) as BufferSource);
  return toBase64Url(new Uint8Array(sig));
}

const importedKeys = new Map<string, Promise<CryptoKey | null>>();

function importPublicKey(publicKey: string): Promise<CryptoKey | null> {
  let key = importedKeys.get(publicKey);
  if (!key) {
    key = (async () => {
      try {
        return await crypto.subtle.importKey('raw', fromBase64Url(publicKey) as BufferSource, ALGORITHM, false, ['verify']);
      } catch {
        return null; // not a P-256 point: the event is rejected, not the process
      }
    })();
    if (importedKeys.size > 10_000) importedKeys.clear(); // a flood of keys must not grow memory
    importedKeys.set(publicKey, key);
  }
  return key;
}

/** Whether a string is a P-256 public key (a point on the curve), not merely key-shaped. */
export async function isPublicKey(publicKey: string): Promise<boolean> {
  return /^[A-Za-z0-9_-]{87}$/.test(publicKey) && canonical(publicKey) && (await importPublicKey(publicKey)) !== null;
}

/**
 * Base64url decoding ignores the spare bits of the last character, so one key or signature has
 * several spellings: only the one encoding gives back counts, so a member is one string.
 */
function canonical(b64: string): boolean {
  try {
    return toBase64Url(fromBase64Url(b64)) === b64;
  } catch {
    return false;
  }
}

/** False for a bad signature, a malformed key or a malformed signature; never throws. */
export async function verify(publicKey: string, data: string, signature: string): Promise<boolean> {
  if (!canonical(publicKey) || !canonical(signature)) return false;
  const key = await importPublicKey(publicKey);
  if (!key) return false;
  try {
    return await crypto.subtle.verify(SIGN, key, fromBase64Url(signature) as BufferSource, encoder.encode(data) as BufferSource);
  } catch {
    return false;
  }
}
