/**
 * The sidebar's link to the hub: the request line (HubLink) plus Y.Doc replicas of the reviews it
 * shows, kept in sync over the port and re-synced after every reconnection.
 */
import * as Y from 'yjs';
import type { HubMessage } from './protocol';
import { HubLink } from './hub-link';
import { fromBase64Url } from '../identity/base64url';
import { receive, step1, updateMessage } from './ydoc-sync';
import type { ReplicaOptions } from '../review/replica';

/** y-protocols' message type for the answer to a state vector (sync step 2). */
const SYNC_STEP_2 = 1;

export type { LinkStatus } from './hub-link';

export class HubClient extends HubLink {
  private docs = new Map<string, Y.Doc>();
  /** Per review: signature → the event id and the text the hub verified under it. */
  private vouchers = new Map<string, Map<string, { id: string; p: string }>>();
  /** Per review: resolved once the hub has answered the copy's state vector. */
  private answered = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  /**
   * Resolves once the hub has answered this review's first sync: the copy then holds everything
   * the hub held when it answered. A fold before that would show the review empty, or half of it.
   */
  caughtUp(id: string): Promise<void> {
    return this.answer(id).promise;
  }

  private answer(id: string) {
    let entry = this.answered.get(id);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.answered.set(id, (entry = { promise, resolve }));
    }
    return entry;
  }

  /** Per review: who hears of envelopes the hub takes back (replicas that took its word for them). */
  private refutations = new Map<string, Set<(s: string, p: string) => void>>();

  /**
   * For a review's replica: the event id the hub verified each very envelope as, if it did, and word
   * of those it later took back.
   */
  vouchersFor(id: string): Required<Pick<ReplicaOptions, 'vouched' | 'refutations'>> {
    return {
      vouched: (s, p) => {
        const voucher = this.vouchers.get(id)?.get(s);
        return voucher?.p === p ? voucher.id : undefined;
      },
      refutations: (listener) => {
        const listeners = this.refutations.get(id) ?? new Set();
        this.refutations.set(id, listeners.add(listener));
        return () => listeners.delete(listener);
      },
    };
  }

  protected override vouched(message: Extract<HubMessage, { t: 'verified' }>): void {
    const isTuple = (v: unknown, n: number): v is string[] => Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'string');
    const map = this.vouchers.get(message.review) ?? new Map<string, { id: string; p: string }>();
    this.vouchers.set(message.review, map);
    for (const v of Array.isArray(message.pairs) ? message.pairs : []) if (isTuple(v, 3)) map.set(v[0], { id: v[1], p: v[2] });
    for (const r of Array.isArray(message.refuted) ? message.refuted : []) {
      if (!isTuple(r, 2)) continue;
      const [s, p] = r;
      if (map.get(s)?.p === p) map.delete(s);
      for (const listener of this.refutations.get(message.review) ?? []) listener(s, p);
    }
  }

  /** A replica of the review, kept in sync with the hub for as long as the client runs. */
  review(id: string): Y.Doc {
    let doc = this.docs.get(id);
    if (!doc) {
      doc = new Y.Doc();
      this.docs.set(id, doc);
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin !== this) this.send({ t: 'sync', review: id, data: updateMessage(update) });
      });
      this.send({ t: 'sync', review: id, data: step1(doc) });
    }
    return doc;
  }

  protected override connected(): void {
    for (const [id, doc] of this.docs) this.send({ t: 'sync', review: id, data: step1(doc) });
  }

  protected override synced(message: Extract<HubMessage, { t: 'sync' }>): void {
    const doc = this.docs.get(message.review);
    if (!doc) return;
    const reply = receive(doc, message.data, this);
    if (fromBase64Url(message.data.slice(0, 4))[0] === SYNC_STEP_2) this.answer(message.review).resolve();
    if (reply) this.send({ t: 'sync', review: message.review, data: reply });
  }
}
