/**
 * A review held in a Y.Doc, read as folded state. Every surface and the hub hold one. Envelopes
 * added to the log are verified (once) and folded onto the state they extend (see Folded); the
 * whole log is folded again only when something reaches back: a deletion from the shared log, an
 * envelope that does not verify, a role change, an event that sorts before the latest, or one
 * that comes due after waiting.
 */
import * as Y from 'yjs';
import { fold, Folded, orderEvents } from './fold';
import type { Envelope } from './events';
import { eventIdOf } from './ids';
import { eventLog } from './log';
import type { ReviewState } from './state';
import { authenticate } from './chains';
import { checkEnvelope, decide, EnvelopeChecker, signatureHolds, type Checked, type Inspection, type Rejection, type VerifiedEvent } from './verify';

/** Envelopes checked at once (see checkAll). */
const CHECK_BATCH = 256;
/** Longest stretch of checking without giving the event loop a turn (under a "long task"). */
const SLICE_MS = 40;
/** Signatures confirmed per turn in the background (see confirmLater). */
const CONFIRM_BATCH = 64;

export interface ReplicaOptions {
  /** This computer's clock: events stamped far ahead of it wait (see fold). */
  now?: () => number;
  /**
   * Called with each envelope that verifies, and its event id, at every fold (the hub keeps them:
   * hub/record.ts); `unsigned` while it stands on its author's chain, its own signature unchecked,
   * and again without it once that signature verified (see confirmLater).
   */
  onVerified?: (envelope: Envelope, id: string, unsigned?: boolean) => void;
  /** Called with an envelope taken on its author's chain whose own signature then failed (see confirmLater). */
  onRefuted?: (envelope: Envelope) => void;
  /**
   * Called with each entry of the log the checks set aside, once (the hub's record lets go of an
   * envelope it kept unchecked in an earlier session that turns out not to verify).
   */
  onRejected?: (raw: unknown) => void;
  /**
   * The event id a trusted verifier checked this very envelope as (verify.ts): the hub's record, for
   * the hub's replica; the hub's vouchers, for a surface's. Nothing is checked twice.
   */
  vouched?: (s: string, p: string) => string | undefined;
  /**
   * For a surface: hears of envelopes the hub vouched for on their author's chain whose own
   * signature then failed; they are set aside, as the hub set them aside. Returns the unsubscribe.
   */
  refutations?: (listener: (s: string, p: string) => void) => () => void;
}

export class ReviewReplica {
  private checker: EnvelopeChecker;
  private listeners = new Set<(state: ReviewState) => void>();
  private running: Promise<void> | null = null;
  private dirty = false;
  private latest: ReviewState | null = null;
  private verified: VerifiedEvent[] = [];
  private wake: ReturnType<typeof setTimeout> | undefined;
  private folded: Folded | null = null;
  /** Entries added to the log since the last fold, and whether only a whole fold will do. */
  private pending: unknown[] = [];
  private whole = true;
  /** Each author's latest event in fold order (their chain's head). */
  private heads = new Map<string, VerifiedEvent>();
  /** `author id` for each id an authentic event names as its author's previous one (see chains.ts). */
  private namedBy = new Set<string>();
  /** Ids of the authentic texts held (see chains.ts: a second envelope for one is checked in full). */
  private knownIds = new Set<string>();
  /** A background check refuted an envelope: the log is folded whole once the checks are done. */
  private refuted = false;
  /** Events taken on their author's chain, waiting for their own signature check (confirmLater). */
  private unconfirmed: { event: VerifiedEvent; inspected: Inspection }[] = [];
  /** Folds run one at a time: each takes what the log gained before it started. */
  private folding: Promise<unknown> = Promise.resolve();

  private now: () => number;
  private onVerified?: (envelope: Envelope, id: string, unsigned?: boolean) => void;
  private onRefuted?: (envelope: Envelope) => void;
  private onRejected?: (raw: unknown) => void;
  private vouched?: (s: string, p: string) => string | undefined;
  private observer: (event: Y.YArrayEvent<unknown>) => void;
  private unlisten?: () => void;
  private disposed = false;

  constructor(
    readonly doc: Y.Doc,
    readonly reviewId: string,
    options: ReplicaOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onVerified = options.onVerified;
    this.onRefuted = options.onRefuted;
    this.onRejected = options.onRejected;
    this.vouched = options.vouched;
    this.checker = new EnvelopeChecker(reviewId, { vouched: options.vouched });
    this.observer = (event) => {
      for (const change of event.changes.delta) {
        if (change.insert) this.pending.push(...(change.insert as unknown[]));
        if (change.delete) this.whole = true;
      }
      this.schedule();
    };
    eventLog(doc).observe(this.observer);
    this.unlisten = options.refutations?.((s, p) => {
      const known = this.checker.known({ p, s });
      if (known?.ok) this.setAside({ p, s }, known.event);
    });
  }

  /**
   * Stops following the document: a surface that lives long (the review panel, across tabs) makes
   * a replica per visit to a review, and one left observing would fold every later change too.
   */
  dispose(): void {
    this.disposed = true;
    eventLog(this.doc).unobserve(this.observer);
    this.unlisten?.();
    clearTimeout(this.wake);
    this.listeners.clear();
  }

  async state(): Promise<ReviewState> {
    const run = this.folding.then(() => this.foldNow());
    this.folding = run.catch(() => undefined);
    return run;
  }

  private async foldNow(): Promise<ReviewState> {
    const now = this.now();
    const folded = this.folded;
    if (folded && !this.whole && !folded.comesDue(now)) {
      const added = this.pending;
      this.pending = [];
      const events: VerifiedEvent[] = [];
      const results = await this.checkAll(added);
      for (let i = 0; i < added.length; i++) {
        const checked = results[i];
        // Set-aside envelopes are listed in log order: a whole fold places one.
        if (!checked.ok) return this.foldWhole();
        this.onVerified?.(added[i] as Envelope, checked.event.id, checked.event.unsigned);
        events.push(checked.event);
      }
      this.remember(events);
      if (folded.addAll(events.sort(orderEvents), now)) return this.settle(folded.state);
    }
    return this.foldWhole();
  }

  /** Folds every entry of the log. */
  private async foldWhole(): Promise<ReviewState> {
    const raws = eventLog(this.doc).toArray();
    this.pending = [];
    this.whole = false;
    const verified: VerifiedEvent[] = [];
    const rejected: Rejection[] = [];
    const results = await this.checkAll(raws);
    raws.forEach((raw, i) => {
      const checked = results[i];
      if (checked.ok) {
        verified.push(checked.event);
        this.onVerified?.(raw as Envelope, checked.event.id, checked.event.unsigned);
      } else rejected.push(checked.rejection);
    });
    this.verified = [];
    this.heads.clear();
    this.remember(verified);
    this.folded = Folded.of(this.reviewId, verified, rejected, { now: this.now() });
    return this.settle(this.folded.state);
  }

  /**
   * Checks envelopes in log order, those not seen before in batches at once: signature checks run
   * off the main thread (WebCrypto), and one at a time left them idle between round trips while a
   * newcomer verified a whole review.
   */
  private async checkAll(raws: unknown[]): Promise<Checked[]> {
    const out: Checked[] = new Array(raws.length);
    const fresh: { at: number; inspected: Inspection }[] = [];
    let slice = performance.now();
    for (let i = 0; i < raws.length; i++) {
      // Parsing and hashing thousands of envelopes is work enough to freeze a page: the event loop
      // gets a turn every SLICE_MS of it (a turn costs up to 4 ms in a browser: not every envelope).
      if (performance.now() - slice > SLICE_MS) {
        await new Promise((r) => setTimeout(r, 0));
        slice = performance.now();
      }
      const known = this.checker.known(raws[i]);
      if (known) {
        out[i] = known;
        continue;
      }
      const inspected = this.checker.inspect(raws[i]);
      if (!inspected.ok) out[i] = this.conclude(raws[i], inspected);
      else if (inspected.vouched) {
        const decided = await decide(inspected, true);
        // The voucher may have been taken back while this was decided (a refutation from the hub,
        // which found nothing decided to set aside): then the envelope is checked like any other.
        const again = this.vouched?.(inspected.env.s, inspected.env.p) === undefined ? this.checker.inspect(raws[i]) : null;
        if (again?.ok) fresh.push({ at: i, inspected: again });
        else out[i] = this.conclude(raws[i], again ?? decided);
      } else fresh.push({ at: i, inspected });
    }
    // Signatures only where no authentic later event of the same author names the text (chains.ts).
    const verdicts = await authenticate(
      fresh.map(({ inspected: { id, payload } }) => ({ id, by: payload.by, prev: payload.prev })),
      (by, id) => this.namedBy.has(`${by} ${id}`),
      async (indices) => {
        const holds: boolean[] = [];
        for (let from = 0; from < indices.length; from += CHECK_BATCH) {
          holds.push(...(await Promise.all(indices.slice(from, from + CHECK_BATCH).map((k) => signatureHolds(fresh[k].inspected)))));
        }
        return holds;
      },
      // A second envelope for a text already held: only its own signature decides it.
      (k) => this.knownIds.has(fresh[k].inspected.id),
    );
    for (let k = 0; k < fresh.length; k++) {
      const { at, inspected } = fresh[k];
      const result = await decide(inspected, verdicts[k] !== 'bad', verdicts[k] === 'chained');
      out[at] = this.conclude(raws[at], result);
      if (result.ok && result.event.unsigned) this.confirmLater(result.event, inspected);
    }
    return out;
  }

  /** Keeps a verdict; tells whoever keeps envelopes (the hub's record) of one set aside. */
  private conclude(raw: unknown, result: Checked): Checked {
    this.checker.remember(raw, result);
    if (!result.ok) this.onRejected?.(raw);
    return result;
  }

  /**
   * An event taken on its author's chain has its own signature checked later, a few at a time
   * between other work. Its text is its author's either way, so it is folded and kept (the hub's
   * record puts it back if a peer deletes it) at once; a copy whose own signature fails (someone
   * put another signature beside the author's text) is then refuted: the record lets it go.
   */
  private confirmLater(event: VerifiedEvent, inspected: Inspection): void {
    this.unconfirmed.push({ event, inspected });
    if (this.unconfirmed.length > 1) return;
    const step = async () => {
      const batch = this.unconfirmed.slice(0, CONFIRM_BATCH);
      const holds = await Promise.all(batch.map(({ inspected }) => signatureHolds(inspected)));
      batch.forEach(({ event, inspected: { env: envelope } }, i) => {
        if (holds[i]) {
          delete event.unsigned;
          return this.onVerified?.(envelope, event.id);
        }
        this.setAside(envelope, event, false);
        this.onRefuted?.(envelope);
      });
      this.unconfirmed.splice(0, batch.length);
      if (this.unconfirmed.length) {
        if (!this.disposed) setTimeout(() => void step(), 0);
      } else if (this.refuted) this.foldRefuted();
    };
    setTimeout(() => void step(), 0);
  }

  /**
   * An envelope taken on its author's chain whose own signature failed: from now on what full
   * verification says of it, set aside and listed with the reason (the author's text stays, under
   * the author's own signature). The log is folded whole once, now or (`now` false) after the batch.
   */
  private setAside(envelope: Envelope, event: VerifiedEvent, now = true): void {
    this.checker.remember(envelope, { ok: false, rejection: { id: event.id, by: event.payload.by, reason: 'signature does not verify' } });
    this.refuted = true;
    if (now) this.foldRefuted();
  }

  private foldRefuted(): void {
    this.refuted = false;
    this.whole = true;
    this.schedule();
  }

  private remember(events: VerifiedEvent[]): void {
    for (const event of events) {
      this.verified.push(event);
      this.knownIds.add(event.id);
      if (event.payload.prev) this.namedBy.add(`${event.payload.by} ${event.payload.prev}`);
      const head = this.heads.get(event.payload.by);
      if (!head || orderEvents(event, head) > 0) this.heads.set(event.payload.by, event);
    }
  }

  private settle(state: ReviewState): ReviewState {
    this.wakeForWaiting(state);
    return state;
  }

  /** Folds again when the first waiting event comes due (checked at least daily). */
  private wakeForWaiting(state: ReviewState): void {
    clearTimeout(this.wake);
    if (!state.waiting.length) return;
    const due = Math.min(...state.waiting.map((w) => w.until)) - this.now();
    this.wake = setTimeout(() => this.schedule(), Math.min(Math.max(due, 1_000), 86_400_000));
    (this.wake as { unref?: () => void }).unref?.(); // never what keeps a Node process alive
  }

  /** Why the log would set this envelope aside, or null when it would apply. */
  async wouldReject(envelope: unknown): Promise<string | null> {
    await this.settled();
    return this.refusalOf(await this.checker.check(envelope));
  }

  /**
   * wouldReject for an event this profile is signing (the hub's own), judged on its text while
   * the signature is made off the main thread: its own signature is not verified. `signed` keeps
   * the verdict under the signature, for the fold that takes the envelope; `id` is its event id;
   * `on`, the state it was judged on.
   */
  async judgeOwn(p: string): Promise<{ refusal: string | null; id: string; signed: (s: string) => void; on: ReviewState }> {
    const on = await this.settled();
    const checked = await checkEnvelope({ p, s: 'unsigned' }, this.reviewId, {}, true);
    return {
      refusal: this.refusalOf(checked),
      id: checked.ok ? checked.event.id : eventIdOf(p),
      signed: (s) => this.checker.remember({ p, s }, checked),
      on,
    };
  }

  private refusalOf(checked: Checked): string | null {
    if (!checked.ok) return checked.rejection.reason;
    const quick = this.folded?.probe(checked.event, this.now());
    if (quick !== undefined) return quick;
    const id = checked.event.id;
    const state = fold(this.reviewId, [...this.verified, checked.event], [], { now: this.now() });
    return state.rejected.find((r) => r.id === id)?.reason ?? null;
  }

  /**
   * The id of this author's latest event in the log (in fold order), applied or not: their next
   * event names it as `prev`, extending their hash chain. Null before their first.
   */
  headOf(author: string): string | null {
    return this.heads.get(author)?.id ?? null;
  }

  /**
   * The tips of an author's history among the events that applied, once the whole log is folded
   * (Folded.headsOf). After a fold that failed, the fold is behind the log until one succeeds, and a
   * removal naming tips from it would cut what counted: the log is folded again first.
   */
  async headsOf(author: string): Promise<string[]> {
    await this.settled();
    if (this.whole || this.pending.length || !this.folded) await this.state();
    return this.folded!.headsOf(author);
  }

  /** The last state computed by a subscription, if any. */
  get current(): ReviewState | null {
    return this.latest;
  }

  /** Calls back with the state now and after every change; folds are serialised, latest wins. */
  subscribe(listener: (state: ReviewState) => void): () => void {
    this.listeners.add(listener);
    if (this.latest) listener(this.latest);
    else this.schedule();
    return () => this.listeners.delete(listener);
  }

  private schedule(): void {
    if (this.disposed) return;
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.dirty = false;
          const state = await this.state();
          this.latest = state;
          for (const l of this.listeners) l(state);
        } while (this.dirty);
      } catch (error) {
        // A fold that throws is a bug; the next change folds the whole log again, rather than nothing ever again.
        this.whole = true;
        console.warn('Margins: a fold failed', error);
      } finally {
        this.running = null;
      }
    })();
  }

  /** Resolves once the state reflects every change made so far. */
  async settled(): Promise<ReviewState> {
    while (this.running) await this.running;
    return this.latest ?? this.state();
  }
}
