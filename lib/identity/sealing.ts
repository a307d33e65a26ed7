/**
 * Sealing a secret to a member's key-agreement key (ECDH P-256 → HKDF-SHA-256 → AES-GCM), so
 * the chair can hand a group's new secret to each remaining member over the open peer network:
 * only the holder of the matching private key opens it. A fresh ephemeral key per sealing.
 */
import { fromBase64Url, toBase64Url } from './base64url';

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const encoder = new TextEncoder();

export interface AgreementKey {
  /** Raw uncompressed public key, base64url: published to the chair in the join request. */
  publicKey: string;
  /** Extractable only for the passphrase-sealed backup, as the signing key (keys.ts). */
  privateKey: CryptoKey;
}

export async function generateAgreementKey(): Promise<AgreementKey> {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return { publicKey: toBase64Url(raw), privateKey: pair.privateKey };
}

async function wrappingKey(privateKey: CryptoKey, publicKey: string, context: string): Promise<CryptoKey> {
  const theirs = await crypto.subtle.importKey('raw', fromBase64Url(publicKey) as BufferSource, ECDH, false, []);
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: theirs }, privateKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode(`margins-seal:${context}`) as BufferSource },
    hkdf,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/**
 * Seals `secret` for each recipient key that is a valid key (others are left out of `sealed`);
 * `context` binds the sealing to its purpose (group, epoch).
 */
export async function seal(secret: string, recipients: string[], context: string): Promise<{ ephemeral: string; sealed: Record<string, string> }> {
  const eph = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const ephemeral = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', eph.publicKey)));
  const sealed: Record<string, string> = {};
  for (const recipient of recipients) {
    let key: CryptoKey;
    try {
      key = await wrappingKey(eph.privateKey, recipient, context);
    } catch {
      continue; // not a point on the curve: nobody can open it, so nothing is sealed to it
    }
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(secret) as BufferSource));
    sealed[recipient] = `${toBase64Url(iv)}.${toBase64Url(data)}`;
  }
  return { ephemeral, sealed };
}

/** Opens what was sealed to `mine`; null when it was not sealed to it or was tampered with. */
export async function unseal(mine: AgreementKey, ephemeral: string, sealed: string, context: string): Promise<string | null> {
  try {
    const [iv, data] = sealed.split('.');
    const key = await wrappingKey(mine.privateKey, ephemeral, context);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64Url(iv) as BufferSource }, key, fromBase64Url(data) as BufferSource);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}
