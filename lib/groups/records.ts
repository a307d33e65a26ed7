/**
 * What a group's shared directory holds, each entry signed: the reviews the chair listed, the
 * member list the chair keeps, the invites the chair made, join requests each signed by the key
 * that asks, and new group secrets sealed to each member. Anyone holding the group secret can
 * write to the directory, so an entry counts only when the right key signed it for this group.
 */
import * as v from 'valibot';
import { isPublicKey, sign, verify, type Identity } from '../identity';
import { PUBLIC_KEY } from '../review/events';

const key = v.pipe(v.string(), v.regex(PUBLIC_KEY));
const b64 = (max: number) => v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]*$/), v.maxLength(max));
const name = v.pipe(v.string(), v.maxLength(120), v.check((s) => s.trim().length > 0, 'empty name'));
const group = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/));

export const ADMISSION = ['auto', 'approve'] as const;
export type Admission = (typeof ADMISSION)[number];

export const RecordSchema = v.variant('kind', [
  /** A review of the group (signed by the chair). */
  v.strictObject({
    kind: v.literal('listing'),
    group,
    review: v.pipe(v.string(), v.maxLength(200)),
    title: v.pipe(v.string(), v.maxLength(500)),
    url: v.pipe(v.string(), v.maxLength(4000)),
    canonical: v.pipe(v.string(), v.maxLength(4000)),
  }),
  /** Someone asking to join (signed by `key` itself: nobody can ask, or withdraw, for another). */
  v.strictObject({
    kind: v.literal('join'),
    group,
    key,
    name,
    /** Their key-agreement key, for sealing the group's next secret to them. */
    agree: key,
    /** Which invite they hold, and proof they hold the group secret it carried. */
    invite: b64(64),
    proof: b64(100),
    /** Proof they hold that invite's token (see ticketOf). */
    ticket: b64(100),
    at: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  /** The chair's member list: one entry per key (signed by the chair). */
  v.strictObject({
    kind: v.literal('member'),
    group,
    key,
    name,
    agree: key,
    invite: b64(64),
    status: v.picklist(['member', 'removed']),
    at: v.pipe(v.number(), v.integer(), v.minValue(0)),
  }),
  /** An invite's terms (signed by the chair). */
  v.strictObject({
    kind: v.literal('invite'),
    group,
    id: b64(64),
    expires: v.nullable(v.pipe(v.number(), v.integer())),
    uses: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))),
    revoked: v.boolean(),
  }),
  /** How join requests are admitted (signed by the chair). */
  v.strictObject({ kind: v.literal('admission'), group, mode: v.picklist(ADMISSION), at: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** The group's options (signed by the chair): `fields`, the commenting template's comment type and proposed change in the composer. */
  v.strictObject({ kind: v.literal('options'), group, fields: v.boolean(), at: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** The group's next secret, sealed to each remaining member's agreement key (signed by the chair). */
  v.strictObject({
    kind: v.literal('rekey'),
    group,
    epoch: v.pipe(v.number(), v.integer(), v.minValue(1)),
    ephemeral: key,
    sealed: v.pipe(v.record(key, b64(200)), v.check((r) => Object.keys(r).length <= 1_000)),
  }),
]);
export type GroupRecord = v.InferOutput<typeof RecordSchema>;
export type RecordOf<K extends GroupRecord['kind']> = Extract<GroupRecord, { kind: K }>;

export interface SignedRecord {
  p: string;
  s: string;
}

export async function signRecord(identity: Identity, record: GroupRecord): Promise<SignedRecord> {
  const p = JSON.stringify(record);
  return { p, s: await sign(identity, p) };
}

/**
 * The record in `raw` if it is well formed, of kind `kind`, for `groupId`, and signed by `signer`
 * (the chair, or for a join request the key it names); null otherwise.
 */
export async function openRecord<K extends GroupRecord['kind']>(raw: unknown, kind: K, groupId: string, signer: string | ((r: RecordOf<K>) => string)): Promise<RecordOf<K> | null> {
  const record = readRecord(raw, kind, groupId);
  if (!record) return null;
  const output: GroupRecord = record;
  // Keys must be keys: a key-agreement key that is no curve point would make sealing to it fail.
  if ((output.kind === 'join' || output.kind === 'member') && !(await isPublicKey(output.agree))) return null;
  const by = typeof signer === 'string' ? signer : signer(record);
  const { p, s } = raw as SignedRecord;
  return (await verified(by, p, s)) ? record : null;
}

/** The record in `raw` if it is well formed, of kind `kind` and for `groupId`: its keys and signature not checked. */
export function readRecord<K extends GroupRecord['kind']>(raw: unknown, kind: K, groupId: string): RecordOf<K> | null {
  if (!raw || typeof raw !== 'object') return null;
  const { p, s } = raw as Partial<SignedRecord>;
  if (typeof p !== 'string' || typeof s !== 'string' || p.length > 200_000) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(p);
  } catch {
    return null;
  }
  const result = v.safeParse(RecordSchema, parsed);
  if (!result.success || result.output.kind !== kind || result.output.group !== groupId) return null;
  return result.output as RecordOf<K>;
}

/** Signatures checked before, by signer and signature (every directory pass re-reads every entry). */
const checked = new Map<string, { p: string; ok: boolean }>();

async function verified(by: string, p: string, s: string): Promise<boolean> {
  const key = `${by}|${s}`;
  const hit = checked.get(key);
  if (hit && hit.p === p) return hit.ok;
  const ok = await verify(by, p, s);
  if (checked.size > 20_000) checked.clear();
  checked.set(key, { p, ok });
  return ok;
}
