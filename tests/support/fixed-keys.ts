/**
 * Fixed test keys (scripts/conformance-keys.json, published on purpose: they sign nothing real),
 * so that payloads and event ids are the same at every run and only signatures change: the
 * conformance vectors and the export fixtures are stable files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url, generateAgreementKey, keyIdOf, toBase64Url, type Identity } from '../../lib/identity';

const KEYS = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'scripts', 'conformance-keys.json'), 'utf8')) as JsonWebKey[];

export const FIXED_KEY_COUNT = KEYS.length;

export async function fixedIdentity(index: number): Promise<Identity> {
  const jwk = KEYS[index];
  const privateKey = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const publicKey = toBase64Url(new Uint8Array([4, ...fromBase64Url(jwk.x!), ...fromBase64Url(jwk.y!)]));
  return { publicKey, keyId: await keyIdOf(publicKey), privateKey, agreement: await generateAgreementKey() };
}
