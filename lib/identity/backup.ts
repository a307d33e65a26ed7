/**
 * A profile's identity sealed under a passphrase, so that a lost browser profile does not lose the
 * key a group knows its chair (or a member) by. The file holds the signing and key-agreement
 * private keys, the display name and the groups (with their secrets and directories); reviews are
 * not in it, they come back from the group's peers.
 *
 * PBKDF2-SHA-256 (600,000 rounds, a fresh 16-byte salt) derives an AES-GCM-256 key; the header
 * (format, version, KDF parameters) is the cipher's additional data, so a file whose rounds were
 * lowered does not open. WebCrypto has no memory-hard KDF in every browser we target.
 */
import { fromBase64Url, toBase64Url } from './base64url';
import { keyIdOf, type Identity } from './keys';
import { UserError } from '../user-error';

export const BACKUP_FORMAT = 'margins-identity';
export const BACKUP_VERSION = 1;
export const MIN_PASSPHRASE = 10;
const ROUNDS = 600_000;
const MAX_FILE = 4 * 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What a backup restores. `groups` and `docs` are the hub's own records, kept as they are. */
export interface ProfileBackup {
  identity: Identity;
  name: string;
  groups: unknown[];
  /** Yjs documents the groups keep (directory, handover), as [key, update]. */
  docs: [string, Uint8Array][];
}

/** Why a backup cannot be made or opened: `code` names the message in locales/. */
export class BackupError extends UserError {
  constructor(code: 'errorBackupPassphrase' | 'errorBackupNotAFile' | 'errorBackupNewer' | 'errorBackupWrongPassphrase' | 'errorBackupOldKey', message: string) {
    super(code, message);
    this.name = 'BackupError';
  }
}

interface Header {
  format: typeof BACKUP_FORMAT;
  version: number;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; rounds: number; salt: string };
  cipher: { name: 'AES-GCM'; iv: string };
}

interface Sealed {
  publicKey: string;
  signing: JsonWebKey;
  agreement: { publicKey: string; key: JsonWebKey };
  name: string;
  groups: unknown[];
  docs: [string, string][];
}

export async function sealProfile(profile: ProfileBackup, passphrase: string): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE) {
    throw new BackupError('errorBackupPassphrase', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
  }
  const { identity } = profile;
  let signing: JsonWebKey;
  let agreement: JsonWebKey;
  try {
    signing = await crypto.subtle.exportKey('jwk', identity.privateKey);
    agreement = await crypto.subtle.exportKey('jwk', identity.agreement.privateKey);
  } catch {
    throw new BackupError('errorBackupOldKey', 'This profile’s key was made by an earlier version of Margins, which kept it where no backup can read it.');
  }
  const sealed: Sealed = {
    publicKey: identity.publicKey,
    signing,
    agreement: { publicKey: identity.agreement.publicKey, key: agreement },
    name: profile.name,
    groups: profile.groups,
    docs: profile.docs.map(([key, update]) => [key, toBase64Url(update)]),
  };
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const header: Header = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', rounds: ROUNDS, salt: toBase64Url(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64Url(iv) },
  };
  const key = await deriveKey(passphrase, salt, ROUNDS);
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: encoder.encode(JSON.stringify(header)) as BufferSource },
    key,
    encoder.encode(JSON.stringify(sealed)) as BufferSource,
  );
  return JSON.stringify({ ...header, data: toBase64Url(new Uint8Array(data)) }, null, 2);
}

export async function openProfile(file: string, passphrase: string): Promise<ProfileBackup> {
  const { header, data } = parseFile(file);
  let plain: ArrayBuffer;
  try {
    const key = await deriveKey(passphrase, fromBase64Url(header.kdf.salt), header.kdf.rounds);
    plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(header.cipher.iv) as BufferSource, additionalData: encoder.encode(JSON.stringify(header)) as BufferSource },
      key,
      data as BufferSource,
    );
  } catch {
    throw new BackupError('errorBackupWrongPassphrase', 'This passphrase does not open the backup (or the file was changed).');
  }
  // What decrypts was written by whoever knew the passphrase: still read as untrusted, and any
  // shape but ours is "not a backup", never a raw error.
  try {
    return await readSealed(JSON.parse(decoder.decode(plain)) as Sealed);
  } catch {
    throw new BackupError('errorBackupNotAFile', 'This is not a Margins identity backup.');
  }
}

async function readSealed(sealed: Sealed): Promise<ProfileBackup> {
  if (typeof sealed?.publicKey !== 'string' || publicOf(sealed.signing) !== sealed.publicKey || publicOf(sealed.agreement?.key) !== sealed.agreement.publicKey) {
    throw new Error('keys do not match');
  }
  const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const ecdh = { name: 'ECDH', namedCurve: 'P-256' } as const;
  // Extractable again, so that the restored profile can make backups of its own.
  const privateKey = await crypto.subtle.importKey('jwk', sealed.signing, ecdsa, true, ['sign']);
  const agreementKey = await crypto.subtle.importKey('jwk', sealed.agreement.key, ecdh, true, ['deriveBits']);
  const docs = Array.isArray(sealed.docs) ? sealed.docs.filter((d) => Array.isArray(d) && typeof d[0] === 'string' && typeof d[1] === 'string') : [];
  return {
    identity: {
      publicKey: sealed.publicKey,
      keyId: await keyIdOf(sealed.publicKey),
      privateKey,
      agreement: { publicKey: sealed.agreement.publicKey, privateKey: agreementKey },
    },
    name: typeof sealed.name === 'string' ? sealed.name.slice(0, 120) : '',
    groups: Array.isArray(sealed.groups) ? sealed.groups : [],
    docs: docs.map(([key, update]) => [key, fromBase64Url(update)]),
  };
}

/** The header as written, checked field by field: it is the cipher's additional data, so it is re-serialised exactly. */
function parseFile(file: string): { header: Header; data: Uint8Array } {
  const notAFile = () => new BackupError('errorBackupNotAFile', 'This is not a Margins identity backup.');
  if (typeof file !== 'string' || file.length > MAX_FILE) throw notAFile();
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(file) as Record<string, unknown>;
  } catch {
    throw notAFile();
  }
  if (!raw || raw.format !== BACKUP_FORMAT) throw notAFile();
  if (typeof raw.version !== 'number' || raw.version > BACKUP_VERSION) {
    throw new BackupError('errorBackupNewer', 'This backup was made by a newer version of Margins: update Margins, then restore it.');
  }
  const kdf = raw.kdf as Header['kdf'] | undefined;
  const cipher = raw.cipher as Header['cipher'] | undefined;
  const b64 = (s: unknown) => typeof s === 'string' && /^[A-Za-z0-9_-]+$/.test(s);
  if (
    kdf?.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    !Number.isInteger(kdf.rounds) ||
    kdf.rounds < ROUNDS ||
    kdf.rounds > 10 * ROUNDS ||
    !b64(kdf.salt) ||
    cipher?.name !== 'AES-GCM' ||
    !b64(cipher.iv) ||
    !b64(raw.data)
  ) {
    throw notAFile();
  }
  const header: Header = {
    format: BACKUP_FORMAT,
    version: raw.version,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', rounds: kdf.rounds, salt: kdf.salt },
    cipher: { name: 'AES-GCM', iv: cipher.iv },
  };
  return { header, data: fromBase64Url(raw.data as string) };
}

/** The raw uncompressed public key (base64url, as events carry it) of a P-256 private JWK. */
function publicOf(jwk: JsonWebKey | undefined): string | null {
  if (typeof jwk?.x !== 'string' || typeof jwk.y !== 'string') return null;
  const x = fromBase64Url(jwk.x);
  const y = fromBase64Url(jwk.y);
  if (x.length !== 32 || y.length !== 32) return null;
  return toBase64Url(new Uint8Array([4, ...x, ...y]));
}

async function deriveKey(passphrase: string, salt: Uint8Array, rounds: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(passphrase.normalize('NFC')) as BufferSource, 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations: rounds },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
