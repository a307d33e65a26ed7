/**
 * The review's event log: every change to a review is one signed, immutable event.
 * Everything here arrives from peers, so every shape is checked before it is used;
 * the schemas are the single description of what a well-formed event is.
 */
import * as v from 'valibot';

export const DISPOSITIONS = [
  'accepted',
  'accepted-with-changes',
  'not-accepted',
  'noted',
  'duplicate',
  'deferred',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

/** The kinds of comment of a standards body's commenting template (general, technical, editorial). */
export const CATEGORIES = ['general', 'technical', 'editorial'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ROLES = ['chair', 'member', 'none'] as const;
export type Role = (typeof ROLES)[number];

/** Every limit of the format (docs/data-model.md): lengths in UTF-16 code units, as JavaScript counts. */
export const LIMITS = {
  body: 20_000,
  name: 120,
  title: 500,
  url: 4_000,
  quote: 10_000,
  context: 64,
  section: 500,
  note: 20_000,
  reason: 500,
  fingerprint: 128,
  /** Branch tips a removal may name. */
  heads: 64,
  /** The signed payload, as JSON text. */
  payload: 64_000,
  /** Largest clock value: the last millisecond ECMAScript dates can hold, and a counter bound. */
  clockT: 8.64e15,
  clockC: 1e9,
} as const;

/** Event ids are SHA-256 of the signed payload text, base64url: no author can pick another's. */
export const EVENT_ID = /^[A-Za-z0-9_-]{43}$/;
/** `<creator key id>.<nonce>`: the key id binds the review to the one key that may create it. */
export const REVIEW_ID = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{8,64}$/;
/** A raw uncompressed P-256 public key (65 bytes), base64url. Checked as a curve point on verify. */
export const PUBLIC_KEY = /^[A-Za-z0-9_-]{87}$/;
/** UTC instants only, so that every replica reads the same moment: `2026-12-01T17:00:00Z`, or with `.000` milliseconds. */
export const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

const eventId = v.pipe(v.string(), v.regex(EVENT_ID, 'not an event id'));
const publicKey = v.pipe(v.string(), v.regex(PUBLIC_KEY, 'not a public key'));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
/** Stored exactly as signed (never trimmed), but must hold something besides white space. */
const nonEmpty = (max: number) =>
  v.pipe(
    v.string(),
    v.maxLength(max),
    v.check((s) => s.trim().length > 0, 'empty text'),
  );
const instant = v.pipe(
  v.string(),
  v.regex(INSTANT, 'not a UTC instant'),
  v.check((s) => !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString().slice(0, 19) === s.slice(0, 19), 'not a real date'),
);
const offset = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));

export const AnchorSchema = v.strictObject({
  quote: v.strictObject({
    type: v.literal('TextQuoteSelector'),
    exact: v.pipe(v.string(), v.minLength(1), v.maxLength(LIMITS.quote)),
    prefix: v.optional(text(LIMITS.context)),
    suffix: v.optional(text(LIMITS.context)),
  }),
  position: v.optional(
    v.pipe(
      v.strictObject({ type: v.literal('TextPositionSelector'), start: offset, end: offset }),
      v.check((p) => p.end >= p.start, 'position ends before it starts'),
    ),
  ),
  section: v.optional(text(LIMITS.section)),
  fingerprint: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{1,128}$/))),
});

const fingerprint = v.pipe(v.string(), v.regex(/^[0-9a-f]{1,128}$/, 'not a hexadecimal fingerprint'));

export const EventBodySchema = v.variant('type', [
  v.strictObject({
    type: v.literal('review.create'),
    title: nonEmpty(LIMITS.title),
    url: text(LIMITS.url),
    canonical: text(LIMITS.url),
    /** Content fingerprint of the draft text when the review started. */
    fingerprint: v.optional(fingerprint),
    /** Id of the group whose members review it (see lib/groups): binds the review to that group. */
    group: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{22}$/, 'not a group id'))),
  }),
  v.strictObject({ type: v.literal('profile.set'), name: nonEmpty(LIMITS.name) }),
  v.strictObject({
    type: v.literal('role.grant'),
    subject: publicKey,
    role: v.picklist(['chair', 'member']),
    name: v.optional(nonEmpty(LIMITS.name)),
  }),
  v.strictObject({
    /**
     * Removal: `upTo` names the member's last events that count, one per branch of their history
     * (several after a fork; none when nothing of theirs counts); see the fold.
     */
    type: v.literal('role.revoke'),
    subject: publicKey,
    upTo: v.pipe(v.array(eventId), v.maxLength(LIMITS.heads)),
  }),
  v.strictObject({
    type: v.literal('period.set'),
    opens: v.nullable(instant),
    closes: v.nullable(instant),
    /** Why the period changed (an extension, an early close): shown in the review's history. */
    reason: v.optional(text(LIMITS.reason)),
    /** Whether members may still comment once it closes (their comments are marked late). */
    late: v.optional(v.boolean()),
  }),
  v.strictObject({
    type: v.literal('comment.add'),
    /** Absent for the first comment of a new thread, which then needs an anchor. */
    thread: v.optional(eventId),
    anchor: v.optional(AnchorSchema),
    body: nonEmpty(LIMITS.body),
    /** Optional, for groups working to a commenting template: the kind of comment, and the text proposed instead. */
    category: v.optional(v.picklist(CATEGORIES)),
    proposal: v.optional(nonEmpty(LIMITS.body)),
  }),
  v.strictObject({ type: v.literal('comment.edit'), comment: eventId, body: nonEmpty(LIMITS.body) }),
  v.strictObject({ type: v.literal('comment.delete'), comment: eventId }),
  v.strictObject({
    type: v.literal('thread.resolve'),
    thread: eventId,
    disposition: v.picklist(DISPOSITIONS),
    note: text(LIMITS.note),
  }),
  v.strictObject({ type: v.literal('thread.reopen'), thread: eventId, note: v.optional(text(LIMITS.note)) }),
]);

export const PayloadSchema = v.strictObject({
  v: v.literal(2),
  review: v.pipe(v.string(), v.regex(REVIEW_ID, 'not a review id')),
  /** Author's raw public key, base64url. */
  by: publicKey,
  hlc: v.strictObject({
    t: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.clockT)),
    c: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(LIMITS.clockC)),
  }),
  /** The author's previous event in this review (its id), null for their first: a hash chain. */
  prev: v.nullable(eventId),
  e: EventBodySchema,
});

export type EventBody = v.InferOutput<typeof EventBodySchema>;
export type EventPayload = v.InferOutput<typeof PayloadSchema>;
export type EventType = EventBody['type'];

/** What the Y.Array holds: the exact signed bytes (as a JSON string) and the signature. */
export interface Envelope {
  p: string;
  s: string;
}

/** A lone surrogate would hash as U+FFFD: two different texts could share one id and signature. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const EnvelopeSchema = v.strictObject({
  p: v.pipe(
    v.string(),
    v.maxLength(LIMITS.payload),
    v.check((p) => !LONE_SURROGATE.test(p)),
  ),
  s: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,200}$/)),
});

/** Parse the signed JSON of an envelope; a message saying why when it is not a valid event. */
export function parsePayload(json: string): EventPayload | string {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return 'not JSON';
  }
  const result = v.safeParse(PayloadSchema, raw);
  if (!result.success) {
    // The path of the first problem, in schema order: the wording of a validation library's
    // messages is no part of the format (conformance vectors pin this string).
    const path = result.issues[0].path?.map((p) => String(p.key)).join('.') ?? '';
    return `malformed event${path ? ` at ${path}` : ''}`;
  }
  return result.output;
}

export function parseBody(raw: unknown): EventBody | string {
  const result = v.safeParse(EventBodySchema, raw);
  return result.success ? result.output : result.issues[0].message;
}
