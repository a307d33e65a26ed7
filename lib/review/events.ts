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

export const ROLES = ['chair', 'member', 'none'] as const;
export type Role = (typeof ROLES)[number];

export const LIMITS = {
  body: 20_000,
  name: 120,
  title: 500,
  url: 4_000,
  quote: 10_000,
  context: 64,
  section: 500,
  note: 20_000,
  id: 64,
} as const;

const id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_.-]+$/), v.maxLength(LIMITS.id));
const text = (max: number) => v.pipe(v.string(), v.maxLength(max));
const nonEmpty = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(max));
const instant = v.pipe(v.string(), v.isoTimestamp());
const offset = v.pipe(v.number(), v.integer(), v.minValue(0));

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

export const EventBodySchema = v.variant('type', [
  v.strictObject({
    type: v.literal('review.create'),
    title: nonEmpty(LIMITS.title),
    url: text(LIMITS.url),
    canonical: text(LIMITS.url),
    /** Content fingerprint of the draft text when the review started. */
    fingerprint: v.optional(text(128)),
    /** Id of the group whose members review it (see lib/groups). */
    group: v.optional(id),
  }),
  v.strictObject({ type: v.literal('profile.set'), name: nonEmpty(LIMITS.name) }),
  v.strictObject({
    type: v.literal('role.grant'),
    subject: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}$/)),
    role: v.picklist(ROLES),
    name: v.optional(nonEmpty(LIMITS.name)),
  }),
  v.strictObject({
    type: v.literal('period.set'),
    opens: v.nullable(instant),
    closes: v.nullable(instant),
  }),
  v.strictObject({
    type: v.literal('comment.add'),
    /** Absent for the first comment of a new thread, which then needs an anchor. */
    thread: v.optional(id),
    anchor: v.optional(AnchorSchema),
    body: nonEmpty(LIMITS.body),
  }),
  v.strictObject({ type: v.literal('comment.edit'), comment: id, body: nonEmpty(LIMITS.body) }),
  v.strictObject({ type: v.literal('comment.delete'), comment: id }),
  v.strictObject({
    type: v.literal('thread.resolve'),
    thread: id,
    disposition: v.picklist(DISPOSITIONS),
    note: text(LIMITS.note),
  }),
  v.strictObject({ type: v.literal('thread.reopen'), thread: id, note: v.optional(text(LIMITS.note)) }),
]);

export const PayloadSchema = v.strictObject({
  v: v.literal(1),
  id,
  review: id,
  /** Author's raw public key, base64url. */
  by: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}$/)),
  hlc: v.strictObject({
    t: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(8.64e15)),
    c: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1e9)),
  }),
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

export const EnvelopeSchema = v.strictObject({
  p: v.pipe(v.string(), v.maxLength(64_000)),
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
    const issue = result.issues[0];
    const path = issue.path?.map((p) => String(p.key)).join('.') ?? '';
    return `malformed event${path ? ` at ${path}` : ''}: ${issue.message}`;
  }
  return result.output;
}

export function parseBody(raw: unknown): EventBody | string {
  const result = v.safeParse(EventBodySchema, raw);
  return result.success ? result.output : result.issues[0].message;
}
