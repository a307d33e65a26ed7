/**
 * The record no peer can erase. Any holder of the group secret can delete or overwrite entries of
 * a review's shared Y.Doc, and such a deletion travels to every peer like any other update (it
 * wiped 227 threads to 0 everywhere, on disk too). So the hub keeps every envelope it has verified
 * in its own store, and puts back into the document whatever goes missing from it: its own fold,
 * its surfaces, and through it its peers, see the record again.
 */
import Dexie from 'dexie';
import { eventIdOf } from '../review/ids';
import type * as Y from 'yjs';
import type { Envelope } from '../review/events';
import { exactPair, type Voucher } from '../review/verify';
import { eventLog } from '../review/log';
import type { EnvelopeRecord, MarginsDB } from '../store/db';

/** A kept envelope, with its event id once something needed it (hashed at most once). */
interface Kept extends Envelope {
  id?: string;
  /** Kept on its author's chain, its own signature not checked yet (replica.ts). */
  unsigned?: boolean;
  /**
   * Kept unsigned in an earlier session, and not yet taken again in this one: no voucher goes out
   * for it (its check may never come, and this session's replica checks it in full).
   */
  stale?: boolean;
  /** The surface's request that made it, when this hub signed it (see eventOf). */
  request?: string;
}

/** Refutations a surface that subscribes later is still told of (see refutedRecently). */
const RECENT_REFUTATIONS = 1_000;

/** Vouchers go out at every surface's first sync and at every start-up: each payload is hashed once. */
function idOf(kept: Kept): string {
  return (kept.id ??= eventIdOf(kept.p));
}

function voucherOf(kept: Kept): Voucher {
  return [kept.s, idOf(kept), kept.p];
}

/** Where the record's rows go (ReviewWrites). */
export interface RowWriter {
  envelope(signature: string, row: EnvelopeRecord | null): Promise<void>;
}

export class VerifiedRecord {
  private kept = new Map<string, Kept>();
  /** Events signed here, by the surface's request that made each (see eventOf). */
  private requests = new Map<string, Kept>();
  /** Documents watched for deletions: only after one can a kept envelope be missing from it. */
  private watched = new WeakMap<Y.Doc, { deleted: boolean }>();

  private constructor(
    private reviewId: string,
    /**
     * Writes a row (null: deletes it) with the others waiting, in one transaction (ReviewWrites):
     * a newcomer keeps 10,000 envelopes and then confirms most of them one by one, and a
     * transaction each cost more than the checks.
     */
    private writes: RowWriter,
  ) {}

  static async load(db: MarginsDB, reviewId: string, writes: RowWriter): Promise<VerifiedRecord> {
    const record = new VerifiedRecord(reviewId, writes);
    // By the primary key's range: through the reviewId index, each row is looked up a second time.
    const rows = await db.envelopes.where('[reviewId+s]').between([reviewId, Dexie.minKey], [reviewId, Dexie.maxKey]).toArray();
    for (const { p, s, id, unsigned, request } of rows) {
      const kept: Kept = { p, s, id, ...(unsigned ? { unsigned, stale: true } : {}), ...(request ? { request } : {}) };
      record.kept.set(s, kept);
      if (request) record.requests.set(request, kept);
    }
    return record;
  }

  /**
   * The event a surface's request made here, if it is kept: a request sent again after the hub
   * restarted (its answer lost on the way) gets that event, not a second one.
   */
  eventOf(request: string): string | undefined {
    const kept = this.requests.get(request);
    return kept && this.kept.get(kept.s) === kept ? idOf(kept) : undefined;
  }

  /** Every kept envelope with its event id, as stored (to write back a lost database). */
  rows(): (Envelope & { id: string; unsigned?: boolean; request?: string })[] {
    return [...this.kept.values()].map((kept) => ({ p: kept.p, s: kept.s, id: idOf(kept), ...(kept.unsigned ? { unsigned: true } : {}), ...(kept.request ? { request: kept.request } : {}) }));
  }

  /**
   * Every kept envelope, as a voucher: its text is authentic, whether its signature verified or its
   * author's chain vouches for it while that check waits (chains.ts). A surface then checks none of
   * it: a newcomer's panel took 10,000 envelopes the hub had taken on their chains, inspected each
   * in full and checked every signature again. One later refuted is taken back (takeRefuted).
   */
  vouchers(): Voucher[] {
    return [...this.kept.values()].filter((kept) => !kept.stale).map(voucherOf);
  }

  /** The vouchers for what was kept since the last call. */
  takeFresh(): Voucher[] {
    return this.fresh.splice(0);
  }

  /** Envelopes vouched for on their chain whose own signature then failed, since the last call. */
  takeRefuted(): Envelope[] {
    return this.refuted.splice(0);
  }

  /**
   * The latest refutations, for a surface subscribing now: it may hold a voucher from before (the
   * hub restarted, and refuted what the surface had been told) that no refutation reached.
   */
  refutedRecently(): Envelope[] {
    return [...this.recent];
  }

  /**
   * The event id of the kept envelope with this signature and this very text: it verified when it
   * was kept, so the hub's own replica neither checks its signature nor hashes it again at
   * start-up. Other text under the signature is not the kept envelope, and is checked in full.
   */
  keptId(signature: string, payload: string): string | undefined {
    const kept = this.kept.get(signature);
    // One kept only on its author's chain is checked again, signature and all.
    return kept && kept.p === payload && !kept.unsigned ? idOf(kept) : undefined;
  }

  /** Vouchers for what was kept since the last takeFresh: for surfaces already open. */
  private fresh: Voucher[] = [];
  /** Vouchers to take back, since the last takeRefuted. */
  private refuted: Envelope[] = [];
  private recent: Envelope[] = [];

  /**
   * Keeps an envelope the replica has just verified (once), with the event id it checked it as;
   * `unsigned` while only its author's chain vouches for it. Kept again without, the mark goes.
   */
  keep(envelope: Envelope, id?: string, unsigned?: boolean, request?: string): void {
    const known = this.kept.get(envelope.s);
    if (known) {
      if (known.p !== envelope.p) return;
      // Taken again in this session (on its chain, or in full): from now on vouched for.
      if (known.stale) {
        delete known.stale;
        this.fresh.push(voucherOf(known));
      }
      if (!known.unsigned || unsigned) return;
      delete known.unsigned;
      this.persist(known.s, { reviewId: this.reviewId, p: known.p, s: known.s, id: idOf(known) });
      return;
    }
    const entry = { p: envelope.p, s: envelope.s };
    const kept: Kept = { ...entry, id, ...(unsigned ? { unsigned } : {}), ...(request ? { request } : {}) };
    this.kept.set(entry.s, kept);
    if (request) this.requests.set(request, kept);
    this.fresh.push(voucherOf(kept));
    // Vouchers save work, they carry no data: a review written only here keeps no endless list.
    if (this.fresh.length > 20_000) this.fresh.splice(0, 10_000);
    // The id is stored beside it: the next start-up need not hash the payload to know it.
    this.persist(entry.s, { reviewId: this.reviewId, ...entry, id: kept.id, ...(unsigned ? { unsigned } : {}), ...(request ? { request } : {}) });
  }

  private persist(s: string, row: EnvelopeRecord | null): void {
    void this.writes.envelope(s, row);
  }

  /**
   * Lets go of an entry the replica set aside, if it is a kept envelope: one kept on its author's
   * chain whose own signature failed (its text is kept under the author's real signature, not under
   * this one), or one kept unchecked in an earlier session that does not verify now. True if it was
   * kept: surfaces told it verified are then told otherwise (takeRefuted, refutedRecently).
   * Only the very envelope counts: a copy of its text and signature with a field more is set aside
   * for its shape, which says nothing of the envelope (a peer's such copies erased the record).
   */
  forget(raw: unknown): boolean {
    const pair = exactPair(raw);
    const kept = pair ? this.kept.get(pair.s) : undefined;
    if (!kept || kept.p !== pair!.p) return false;
    this.kept.delete(kept.s);
    if (kept.request) this.requests.delete(kept.request);
    const refuted = { p: kept.p, s: kept.s };
    this.refuted.push(refuted);
    this.recent.push(refuted);
    if (this.recent.length > RECENT_REFUTATIONS) this.recent.shift();
    this.persist(kept.s, null);
    return true;
  }

  /**
   * Puts back every kept envelope the document no longer holds; returns how many. Looks through
   * the log the first time and after a deletion from it, not on every event.
   */
  heal(doc: Y.Doc, origin: unknown): number {
    let watch = this.watched.get(doc);
    if (!watch) {
      const w = { deleted: true };
      this.watched.set(doc, (watch = w));
      eventLog(doc).observe((event) => {
        if (event.changes.delta.some((d) => d.delete)) w.deleted = true;
      });
    }
    if (!watch.deleted) return 0;
    watch.deleted = false;
    // Present means the very envelope, the same signature over the same text: a decoy with the
    // signature and other text, or with a field more, must not pass for the envelope it replaced.
    const present = new Map<string, string[]>();
    for (const entry of eventLog(doc).toArray()) {
      const pair = exactPair(entry);
      if (pair) present.set(pair.s, [...(present.get(pair.s) ?? []), pair.p]);
    }
    // Exactly {p, s}: the id this record keeps beside an envelope is not part of it. One kept only
    // on its author's chain is not put back: its own signature is not checked yet, and this hub
    // publishes nothing it has not verified.
    const missing = [...this.kept.values()].filter((e) => !e.unsigned && !present.get(e.s)?.includes(e.p)).map(({ p, s }) => ({ p, s }));
    if (missing.length) doc.transact(() => eventLog(doc).push(missing), origin);
    return missing.length;
  }
}
