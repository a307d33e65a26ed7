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
  const payload: EventPayload = { v: 2, review: reviewId, by: identity.publicKey, hlc: nextHlc(latest, now), prev, e: body };
  const p = JSON.stringify(payload);
  return { p, s: await sign(identity, p) };
}
