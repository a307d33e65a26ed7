/** Writing to the event log: stamp, sign, append. The only way events enter a Y.Doc. */
import * as Y from 'yjs';
import { sign, type Identity } from '../identity';
import type { Envelope, EventBody, EventPayload } from './events';
import { nextHlc, type Hlc } from './hlc';
import { randomId } from './ids';

export const EVENTS = 'events';

export function eventLog(doc: Y.Doc): Y.Array<unknown> {
  return doc.getArray<unknown>(EVENTS);
}

export async function signEvent(
  identity: Identity,
  reviewId: string,
  body: EventBody,
  latest: Hlc | undefined,
  now = Date.now(),
  id = randomId(),
): Promise<Envelope> {
  const payload: EventPayload = { v: 1, id, review: reviewId, by: identity.publicKey, hlc: nextHlc(latest, now), e: body };
  const p = JSON.stringify(payload);
  return { p, s: await sign(identity, p) };
}

/** True when an event with this id is already in the log (a retried append must not duplicate). */
export function hasEvent(doc: Y.Doc, id: string): boolean {
  return eventLog(doc)
    .toArray()
    .some((raw) => {
      const p = (raw as Partial<Envelope>)?.p;
      if (typeof p !== 'string') return false;
      try {
        return (JSON.parse(p) as { id?: unknown }).id === id;
      } catch {
        return false;
      }
    });
}
