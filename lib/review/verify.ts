/** Turns untrusted Y.Array entries into events whose shape, author and signature are checked. */
import * as v from 'valibot';
import { isPublicKey, keyIdOf, verify } from '../identity';
import { EnvelopeSchema, parsePayload, type Envelope, type EventPayload } from './events';
import { eventIdOf } from './ids';

export interface VerifiedEvent {
  /** SHA-256 of the signed payload text (see eventIdOf). */
  id: string;
  payload: EventPayload;
  /** Short id of the author's key. */
  keyId: string;
  /**
   * Its text is vouched for by its author's later event, whose signature verified (chains.ts); its
   * own signature is not checked yet. Cleared once it is.
   */
  unsigned?: boolean;
}

export interface Rejection {
  id?: string;
  by?: string;
  reason: string;
}

export type Checked = { ok: true; event: VerifiedEvent } | { ok: false; rejection: Rejection };

/** What a trusted verifier (the hub, for a surface; the hub's record, for the hub) has checked already. */
export interface Vouchers {
  /**
   * The event id it checked this very envelope as, same signature and same text, if it did: such a
   * text is only read again, not validated, hashed or verified (the hub's record at every start-up,
   * 20,000 envelopes; a newcomer's panel, 10,000 at once). Another text under the signature gets
   * every check: the text is compared, not its hash, so nothing but the checked text passes.
   */
  vouched?: (s: string, p: string) => string | undefined;
}

/** What the hub tells a surface of an envelope it verified: its signature, its event id and its very text. */
export type Voucher = [s: string, id: string, p: string];

/** An envelope checked for everything but its signature: what remains to decide it. */
export type Inspected =
  | { ok: false; rejection: Rejection }
  | { ok: true; env: Envelope; payload: EventPayload; id: string; vouched: boolean };

/** An envelope that passed every check but its signature. */
export type Inspection = Extract<Inspected, { ok: true }>;

/**
 * Shape, payload, review and event id; `vouched` when a voucher covers the signature (the costly
 * part, left to the caller).
 */
export function inspectEnvelope(raw: unknown, reviewId: string, { vouched }: Vouchers = {}): Inspected {
  // The very text a trusted verifier checked in full, shape and all, is only read again. A text that
  // no longer reads, or is another review's, gets every check below.
  const pair = vouched ? exactPair(raw) : null;
  const id = pair ? vouched!(pair.s, pair.p) : undefined;
  if (pair && id !== undefined) {
    const payload = keptPayload(pair.p);
    if (payload && payload.review === reviewId) return { ok: true, env: pair, payload, id, vouched: true };
  }
  const env = v.safeParse(EnvelopeSchema, raw);
  if (!env.success) return { ok: false, rejection: { reason: 'not an event envelope' } };
  const payload = parsePayload(env.output.p);
  if (typeof payload === 'string') return { ok: false, rejection: { reason: payload } };
  const hash = eventIdOf(env.output.p);
  if (payload.review !== reviewId) return { ok: false, rejection: { id: hash, by: payload.by, reason: 'event belongs to another review' } };
  return { ok: true, env: env.output, payload, id: hash, vouched: false };
}

/** A kept text read back; null if it no longer parses (a damaged row): then it is checked in full. */
function keptPayload(p: string): EventPayload | null {
  try {
    return JSON.parse(p) as EventPayload;
  } catch {
    return null;
  }
}

/** The verdict on an inspected envelope whose text is authentic (`signed`) or not. `unsigned`: vouched for only by its author's chain (chains.ts). */
export async function decide(inspected: Inspection, authentic: boolean, unsigned = false): Promise<Checked> {
  const { payload, id } = inspected;
  if (!authentic) return { ok: false, rejection: { id, by: payload.by, reason: 'signature does not verify' } };
  // A role given to a string that is no key would make a member nobody can ever be.
  if ((payload.e.type === 'role.grant' || payload.e.type === 'role.revoke') && !(await isPublicKey(payload.e.subject))) {
    return { ok: false, rejection: { id, by: payload.by, reason: 'the subject is not a public key' } };
  }
  return { ok: true, event: { id, payload, keyId: await keyIdOf(payload.by), ...(unsigned ? { unsigned: true } : {}) } };
}

/** Whether the envelope's own signature verifies. */
export function signatureHolds(inspected: Inspection): Promise<boolean> {
  return verify(inspected.payload.by, inspected.env.p, inspected.env.s);
}

/**
 * Every envelope is checked for shape, review and payload; the signature, the costly part, only
 * where no voucher covers it, and not when this profile is making it (`signedHere`: the hub's own
 * appends, whose check was a third of an append's time at 20,000 events; ReviewReplica.judgeOwn).
 */
export async function checkEnvelope(raw: unknown, reviewId: string, vouchers: Vouchers = {}, signedHere = false): Promise<Checked> {
  const inspected = inspectEnvelope(raw, reviewId, vouchers);
  if (!inspected.ok) return inspected;
  return decide(inspected, signedHere || inspected.vouched || (await signatureHolds(inspected)));
}

/**
 * Verifies each distinct envelope once: a replica re-folds on every update, and
 * signature checks are the expensive part. Keyed by signature, checked against the payload.
 */
export class EnvelopeChecker {
  private cache = new Map<string, { p: string; result: Checked }>();
  constructor(
    private reviewId: string,
    private vouchers: Vouchers = {},
  ) {}

  /** The result for an envelope checked before, without waiting; undefined for a new one. */
  known(raw: unknown): Checked | undefined {
    const pair = exactPair(raw);
    const hit = pair && this.cache.get(pair.s);
    return hit && hit.p === pair.p ? hit.result : undefined;
  }

  /** See checkEnvelope. */
  async check(raw: unknown): Promise<Checked> {
    const hit = this.known(raw);
    if (hit) return hit;
    const result = await checkEnvelope(raw, this.reviewId, this.vouchers);
    this.remember(raw, result);
    return result;
  }

  /** Everything but the signature (see inspectEnvelope). */
  inspect(raw: unknown): Inspected {
    return inspectEnvelope(raw, this.reviewId, this.vouchers);
  }

  /** Keeps a result decided elsewhere (the replica's chain check), as check would. */
  remember(raw: unknown, result: Checked): void {
    // Only exact {p, s} pairs are cached: a look-alike with an extra field must not stand in for
    // the real envelope (in either direction) when the cache is asked about the other.
    const pair = exactPair(raw);
    if (pair) this.cache.set(pair.s, { p: pair.p, result });
  }
}

/** `raw` when it is an object with exactly the string fields p and s, else null. */
export function exactPair(raw: unknown): { p: string; s: string } | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const keys = Object.keys(raw);
  const { p, s } = raw as { p?: unknown; s?: unknown };
  return keys.length === 2 && typeof p === 'string' && typeof s === 'string' ? { p, s } : null;
}
