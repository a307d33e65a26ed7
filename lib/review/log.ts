/** Writing to the event log: stamp, sign, append. The only way events enter a Y.Doc. */
import * as Y from 'yjs';
import { sign, type Identity } from '../identity';
import type { Envelope, EventBody, EventPayload } from './events';
import { nextHlc, type Hlc } from './hlc';

export const EVENTS = 'events';

export function eventLog(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray<unknown>(EVENTS);
}

/** `prev`: the id of the author's previous event in this review (their hash chain), null for the first. */
export async function signEvent(
  identity: Identity,
  reviewId: string,
  body: EventBody,
  latest: Hlc | undefined,
  now = Date.now(),
  prev: string | null = null,
): Promise<Envelope> {
  const { p } = stampEvent(identity.publicKey, reviewId, body, latest, now, prev);
  return { p, s: await sign(identity, p) };
}

/** An event's payload, stamped after `latest` and chained to `prev`, and its text to sign. */
export function stampEvent(
  author: string,
  reviewId: string,
  body: EventBody,
  latest: Hlc | undefined,
  now: number,
  prev: string | null,
): { payload: EventPayload; p: string } {
  const payload: EventPayload = { v: 2, review: reviewId, by: author, hlc: nextHlc(latest, now), prev, e: body };
  return { payload, p: JSON.stringify(payload) };
}
