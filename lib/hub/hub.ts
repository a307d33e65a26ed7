/**
 * The hub: one per browser profile, in an extension-origin page. It owns every open review's
 * Y.Doc, persists each update durably, signs events with this profile's key, and fans updates
 * out to the surfaces (overlay, popup) connected over ports. Plain TypeScript: the extension
 * wires it to runtime ports, the tests to in-memory ones.
 */
import * as Y from 'yjs';
import { sign, type Identity } from '../identity';
import { eventLog, stampEvent } from '../review/log';
import { ReviewReplica } from '../review/replica';
import type { Voucher } from '../review/verify';
import type { ReviewState } from '../review/state';
import { summarize } from '../review/summary';
import type { Envelope, EventBody } from '../review/events';
import { parseBody, REVIEW_ID } from '../review/events';
import { readInvite } from '../groups/invite';
import { type MarginsDB, type ReviewRecord } from '../store/db';
import { DurableQueue, type StorageStatus } from '../store/durable';
import { getDisplayName, loadOrCreateIdentity, setDisplayName } from '../store/settings';
import { appendUpdate, compact, COMPACT_EVERY, countUpdates, loadReview } from '../store/updates';
import { ReviewWrites } from '../store/review-writes';
import type { PortLike } from '../sync/port';
import { parseSurfaceMessage, voucherMessages, type Op, type Requests } from '../sync/protocol';
import { PAGE_REFUSAL, type PortAccess } from './port-access';
import { receive, step1, updateMessage } from '../sync/ydoc-sync';
import { presenceText, type SignedPresence, type WebrtcNetwork } from '../sync/webrtc-network';
import { errorCode, UserError } from '../user-error';
import { Groups } from './groups';
import { badgeFor, dueReminders } from './reminders';
import { loadDraft, rememberDraft } from './drafts';
import { VerifiedRecord } from './record';
import { backupOf, restoreInto } from './profile-backup';


interface Connection {
  port: PortLike;
  reviews: Set<string>;
  access: PortAccess;
}

/** An event of this profile's, signed and judged (Hub.signJudged). */
interface Made {
  envelope: Envelope;
  refusal: string | null;
  id: string;
  /** The state it was judged on. */
  on: ReviewState;
  /** Keeps the verdict under the signature, for the fold that takes the envelope. */
  signed: () => void;
}

interface OpenReview {
  id: string;
  doc: Y.Doc;
  replica: ReviewReplica;
  /** Every envelope this hub verified: put back when a peer removes it from the doc. */
  record: VerifiedRecord;
  conns: Set<Connection>;
  /** Commit of the latest update handed to storage. */
  lastWrite: Promise<void>;
  unCompacted: number;
  /** When the latest update came (performance.now()): compaction waits for a quiet moment. */
  lastUpdate: number;
  compaction?: ReturnType<typeof setTimeout>;
  /** The group it was listed in, known before its first event arrives from a peer. */
  group?: string;
  /** Request id → the event it produced: a surface retrying a request gets the same event. */
  requests: Map<string, Promise<string>>;
  /** The append whose turn it is (inTurn). */
  appending: Promise<unknown>;
  /** Updates from peers waiting for this hub's fold before they go to surfaces (see forwardVerified). */
  toSurfaces: string[];
  /** Vouchers and refutations are about to go to surfaces (see forwardVouchersSoon). */
  vouchersDue?: boolean;
}

const REMEMBERED_REQUESTS = 1_000;
/** How long a "select this thread" from the dashboard waits for the draft's sidebar to open. */
const FOCUS_MS = 5 * 60_000;
/** What a request meets when the database closes under it. */
const isClosedDatabase = (error: Error) => ['AbortError', 'DatabaseClosedError', 'InvalidStateError'].includes(error?.name ?? '') || ['AbortError', 'InvalidStateError'].includes((error as { inner?: Error })?.inner?.name ?? '');
const DATABASE_LOST = {
  deleted: 'The local database was deleted while Margins was running: writing back what Margins holds in memory (your key, groups and open reviews). Keep this browser open.',
  // Chromium closes a database whose write failed, most often because the disk is full.
  closed: 'The browser closed the local database (is the disk full?): your changes are kept in memory and will be written back once it can be opened. Keep this browser open.',
};
/** How long the hub waits, its database closed, for the browser to close its store (see confirmByReopening). */
const REOPEN_AFTER_MS = 3_000;
/** How long a review is quiet before its stored updates are compacted. */
const QUIET_MS = 2_000;
/** How long a dashboard row may lag its review (see indexSoon). */
const INDEX_DELAY_MS = 150;
/** A review's row waits at least this many times what summing it up last cost (see indexSoon). */
const INDEX_COST_FACTOR = 10;

type Handler<K extends Op> = (args: Requests[K]['args']) => Promise<Requests[K]['result']>;

export class Hub {
  private reviews = new Map<string, Promise<OpenReview>>();
  private conns = new Set<Connection>();
  private queue: DurableQueue;
  private storage: StorageStatus = { ok: true, pending: 0 };

  readonly groups: Groups;
  /** Per review: the dashboard row last written, and the newest one waiting to be (see index). */
  private rows = new Map<string, { written: string; next: ReviewRecord | null; nextJson: string }>();
  /** Folded states whose dashboard row is not written yet (see indexSoon). */
  private unindexed = new Map<string, ReviewState>();
  /** Per review: what making its dashboard row cost the last two times, in ms (see index, indexSoon). */
  private rowCosts = new Map<string, [number, number]>();
  /** Writing back a lost database (see restore), while it runs. */
  private restoring: Promise<void> | null = null;
  /** How many times the database was lost (restore): a compaction begun before one writes nothing. */
  private losses = 0;
  /** The display name: read once at start-up, changed only through rename (and so written back if the database is lost). */
  private name = '';
  /** A thread the dashboard asked the draft's sidebar to select when it opens. */
  private focusAsked: { canonical: string; review: string; thread: string; until: number } | null = null;
  /** Errors nothing handled in the hub's page (counted by the extension glue). */
  unhandledErrors = 0;
  /** Restarts the hub's page, so that it starts over with what is stored (a restored identity). */
  restart: () => void = () => {};
  /** Set once a restored identity replaced this hub's: it answers nothing more. */
  private replaced = false;

  static async start(db: MarginsDB, now: () => number = Date.now, network: WebrtcNetwork | null = null): Promise<Hub> {
    const hub = new Hub(db, await loadOrCreateIdentity(db), now, network);
    hub.name = await getDisplayName(db);
    await hub.groups.start();
    hub.watchDatabase();
    return hub;
  }

  /**
   * The database can go while the hub runs (the user clears browsing data, the browser evicts
   * it). Left alone, the next write would open a fresh, empty one and every write after would be
   * acknowledged into it, building on nothing: after a restart this profile's key and its reviews
   * were gone (issue 14). Instead, writes wait while the hub writes back everything it holds.
   */
  private watchDatabase(): void {
    const closed = () => this.restore('closed');
    const changed = (event: IDBVersionChangeEvent) => {
      if (event.newVersion === null) this.restore('deleted');
    };
    this.db.on('close', closed);
    this.db.on('versionchange', changed);
    this.unwatchDatabase = () => {
      this.db.on.close.unsubscribe(closed);
      this.db.on.versionchange.unsubscribe(changed);
    };
  }

  private unwatchDatabase = () => {};

  private restore(how: keyof typeof DATABASE_LOST): void {
    if (this.restoring) return;
    this.losses++;
    this.storageStatus({ ok: false, pending: this.queue.pending, message: DATABASE_LOST[how] });
    this.restoring = this.queue
      .holdUntil(async () => {
        await new Promise((r) => setTimeout(r, 0)); // the deletion goes first
        if (!this.db.isOpen()) await this.db.open();
        await this.writeBack();
        if (how === 'closed') await this.confirmByReopening();
      })
      .then(() => {
        this.restoring = null;
        this.storageStatus({ ok: true, pending: this.queue.pending });
      });
  }

  /**
   * A write that failed for want of space can leave a torn record in the browser's store, and
   * Chromium goes on appending after it: its next opening of the store reads that as corruption
   * and throws the whole store away, with everything acknowledged since (seen in
   * tests/e2e/faults.test.ts). So the store is opened afresh now, while this hub still holds
   * everything, and read back: if the browser threw it away, everything is written again.
   */
  private async confirmByReopening(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.db.close();
      // The browser closes its store once no connection is left, after a short grace period.
      await new Promise((r) => setTimeout(r, REOPEN_AFTER_MS));
      await this.db.open();
      const kept = (await this.db.settings.get('identity'))?.value as Identity | undefined;
      if (kept?.publicKey === this.identity.publicKey) return;
      await this.writeBack();
      if (attempt === 3) return; // each fresh store is written whole; stop reopening
    }
  }

  /** Everything this hub holds, written to an empty database: who this is, groups, open reviews. */
  private async writeBack(): Promise<void> {
    // A restored identity is the profile's now: this hub's own must not be written over it.
    if (this.replaced) return;
    const db = this.db;
    await db.settings.put({ key: 'identity', value: this.identity });
    if (this.name) await db.settings.put({ key: 'name', value: this.name });
    const { groups, docs } = this.groups.holdings();
    await db.groups.bulkPut(groups);
    for (const [key, doc] of docs) await db.snapshots.put({ reviewId: key, data: Y.encodeStateAsUpdate(doc), upTo: 0 });
    for (const opening of this.reviews.values()) {
      const review = await opening.catch(() => null);
      if (!review) continue;
      await db.snapshots.put({ reviewId: review.id, data: Y.encodeStateAsUpdate(review.doc), upTo: 0 });
      await db.envelopes.bulkPut(review.record.rows().map((e) => ({ reviewId: review.id, ...e })));
      const row = this.rowOf(await review.replica.settled());
      if (row) await db.reviews.put(row);
    }
    this.rows.clear();
  }

  /** The one way the display name changes: stored, and held to write back (see restore). */
  private async rename(name: string): Promise<void> {
    await setDisplayName(this.db, name);
    this.name = name;
  }

  private storageStatus(status: StorageStatus): void {
    this.storage = status;
    for (const c of this.conns) this.post(c, { t: 'storage', status });
  }

  constructor(
    readonly db: MarginsDB,
    readonly identity: Identity,
    private now: () => number = Date.now,
    private network: WebrtcNetwork | null = null,
  ) {
    // While the database is written back, that is what the status says, unless writing it back
    // fails too (the disk still full): then the status says why.
    this.queue = new DurableQueue((status) => (!this.restoring || !status.ok) && this.storageStatus(status));
    this.groups = new Groups({
      db,
      identity,
      network,
      now,
      persist: (doc, key) => doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'storage' && void this.queue.write(() => appendUpdate(db, key, u))),
      openListed: (id, group, entry) => void this.openListed(id, group.id, entry),
      settled: async (id) => (await this.open(id)).replica.settled(),
      grant: async (id, members) => this.appendAll(await this.open(id), members.map(({ subject, name }) => ({ type: 'role.grant', subject, role: 'member', name }))),
      revoke: async (id, subject) => {
        const review = await this.open(id);
        const state = await review.replica.settled();
        if ((state.members[subject]?.role ?? 'none') === 'none') return;
        // Every branch tip of theirs that counted: nothing they wrote that counted stops counting.
        await this.append(review, { type: 'role.revoke', subject, upTo: await review.replica.headsOf(subject) });
      },
      reviewsOf: async (group) => (await this.db.reviews.where('group').equals(group).primaryKeys()) as string[],
      displayName: async () => this.name,
      peers: (id, status) => void this.reviews.get(id)?.then((r) => r.conns.forEach((c) => this.post(c, { t: 'peers', review: id, ...status }))),
    });
  }

  /**
   * Tells the review's room whether this profile has it open in some tab (presence). Called when
   * a surface opens or leaves the review and when the name changes; the network applies it to the
   * room whenever that is joined.
   */
  private async announce(review: OpenReview): Promise<void> {
    if (!this.network) return;
    let viewer: SignedPresence | null = null;
    if (review.conns.size) {
      const key = this.identity.publicKey;
      const name = this.name;
      // Signed for this room and this document's client: a copy elsewhere claims nothing.
      viewer = { key, name, sig: await sign(this.identity, presenceText(review.id, review.doc.clientID, key, name)) };
    }
    this.network.setPresence(review.id, viewer);
  }

  private async openListed(id: string, group: string, entry: { title: string; url: string; canonical: string }): Promise<void> {
    if (!REVIEW_ID.test(id)) return;
    if (!(await this.db.reviews.get(id))) {
      const counts = { threads: 0, open: 0, resolved: 0, comments: 0 };
      await this.queue.write(() => this.db.reviews.put({ ...entry, id, group, status: 'active', opens: null, closes: null, counts, myRole: 'none', updatedAt: 0 }).then(() => undefined));
    }
    const review = await this.open(id);
    review.group ??= group;
    void this.groups.review(review.doc, await review.replica.settled(), group);
  }

  /**
   * Serves a surface's port; `earlier` are messages it sent before the hub was ready. `access` is
   * decided by the caller from the port's sender (lib/hub/port-access.ts): there is no default.
   */
  connect(port: PortLike, access: PortAccess, earlier: unknown[] = []): void {
    const conn: Connection = { port, reviews: new Set(), access };
    this.conns.add(conn);
    for (const message of earlier) void this.onMessage(conn, message);
    port.onMessage.addListener((message) => void this.onMessage(conn, message));
    port.onDisconnect.addListener(() => {
      this.conns.delete(conn);
      for (const id of conn.reviews) {
        void this.reviews.get(id)?.then((r) => {
          r.conns.delete(conn);
          void this.announce(r);
        });
      }
    });
    if (!this.storage.ok) this.post(conn, { t: 'storage', status: this.storage });
  }

  /** Resolves when every write so far is committed (tests and shutdown). */
  async flushed(): Promise<void> {
    await Promise.all([...this.reviews.values()].map(async (r) => (await r).lastWrite));
  }

  /**
   * Lets this hub go, once what it was writing is written: it stops watching its database and its
   * open reviews. The extension never stops a hub (it lives as long as its page); a benchmark that
   * starts one hub after another on one store does, or every earlier hub stays in memory, its
   * listeners on the database holding it (a browser restart starts with one).
   */
  async stop(): Promise<void> {
    await this.flushIndex();
    await this.flushed();
    this.unwatchDatabase();
    for (const open of this.reviews.values()) {
      const review = await open;
      clearTimeout(review.compaction);
      review.replica.dispose();
    }
    this.reviews.clear();
  }

  private post(conn: Connection, message: unknown): void {
    try {
      conn.port.postMessage(message);
    } catch {
      this.conns.delete(conn); // the surface went away between our check and the post
    }
  }

  private async onMessage(conn: Connection, raw: unknown): Promise<void> {
    const message = parseSurfaceMessage(raw);
    if (!message) return;
    if (message.t === 'sync') {
      if (!REVIEW_ID.test(message.review)) return;
      if (conn.access.scope !== 'extension') return;
      const first = !conn.reviews.has(message.review);
      let review: OpenReview;
      try {
        // Loaded again once a database written back meanwhile is back, as requests are, or the
        // surface would never hear of its review.
        review = await this.afterWriteBack(() => this.subscribe(conn, message.review));
      } catch (error) {
        console.warn('Margins hub: could not open a review for a surface', error);
        return;
      }
      // What this hub verified, before the review itself: the surface need not verify it again.
      if (first) this.postVouchers(review.record.vouchers(), review.record.refutedRecently(), review.id, [conn]);
      try {
        const reply = receive(review.doc, message.data, conn);
        if (reply) this.post(conn, { t: 'sync', review: review.id, data: reply });
      } catch (error) {
        console.warn('Margins hub: dropped a malformed sync message', error);
      }
      return;
    }
    const handler = this.handlers[message.op] as Handler<Op> | undefined;
    try {
      if (!handler) throw new Error(`unknown request ${message.op}`);
      if (conn.access.scope !== 'extension') throw new Error(PAGE_REFUSAL);
      if (this.replaced) throw new UserError('errorBackupRestarting', 'Margins is restarting with the restored identity: try again in a moment.');
      // (Requests carry ids, so an append that did land is not made twice when tried again.)
      const value = await this.afterWriteBack(() => handler(message.args as never));
      this.post(conn, { t: 'res', id: message.id, ok: true, value });
    } catch (error) {
      this.post(conn, { t: 'res', id: message.id, ok: false, error: (error as Error).message ?? String(error), ...errorCode(error) });
    }
  }

  /**
   * Runs `work`; caught by the database going away, it runs again once the database is written
   * back (the close is noticed a turn later, so the write-back may only just be starting).
   */
  private async afterWriteBack<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isClosedDatabase(error as Error)) throw error;
      await new Promise((r) => setTimeout(r, 0));
      if (!this.restoring) throw error;
      await this.restoring;
      return work();
    }
  }

  private async subscribe(conn: Connection, id: string): Promise<OpenReview> {
    const review = await this.open(id);
    if (!review.conns.has(conn) && this.conns.has(conn)) {
      review.conns.add(conn);
      conn.reviews.add(id);
      this.post(conn, { t: 'sync', review: id, data: step1(review.doc) });
      void this.announce(review);
    }
    return review;
  }

  private open(id: string): Promise<OpenReview> {
    let review = this.reviews.get(id);
    if (!review) {
      review = this.load(id);
      this.reviews.set(id, review);
      review.catch(() => this.reviews.delete(id));
    }
    return review;
  }

  private async load(id: string): Promise<OpenReview> {
    const doc = new Y.Doc({ gc: true });
    const [stored, listed, piled] = await Promise.all([loadReview(this.db, id), this.db.reviews.get(id), countUpdates(this.db, id)]);
    if (stored) Y.applyUpdate(doc, stored, 'storage');
    // A review with its row already stored is found by it: its row can follow the fold a moment
    // later like any other (summing 20,000 events up took 60 ms of a start-up), not at once.
    if (listed && !this.rows.has(id)) this.rows.set(id, { written: '', next: null, nextJson: '' });
    const writes = new ReviewWrites(this.db, id, (job) => this.queue.write(job));
    const record = await VerifiedRecord.load(this.db, id, writes);
    // Verified once: what the record kept is not verified again when the review opens (issue 14).
    // A kept envelope the checks set aside: surfaces may have taken it on this hub's word (now or
    // in an earlier session), so they are told.
    const letGo = (raw: unknown) => record.forget(raw) && this.forwardVouchersSoon(review);
    const replica = new ReviewReplica(doc, id, {
      now: this.now,
      onVerified: (envelope, eventId, unsigned) => record.keep(envelope, eventId, unsigned),
      onRefuted: letGo,
      onRejected: letGo,
      vouched: (s, p) => record.keptId(s, p),
    });
    // Updates left by earlier sessions count too: a profile restarted daily, writing fewer than
    // COMPACT_EVERY a session, would otherwise pile them up for every start-up to merge.
    const review: OpenReview = { id, doc, replica, record, conns: new Set(), lastWrite: Promise.resolve(), unCompacted: piled, lastUpdate: 0, requests: new Map(), appending: Promise.resolve(), toSurfaces: [] };
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'storage') return;
      review.lastWrite = writes.update(update);
      if (++review.unCompacted >= COMPACT_EVERY) this.compactWhenQuiet(review);
      const data = updateMessage(update);
      if (origin === this || review.conns.has(origin as Connection)) {
        for (const c of review.conns) if (c !== origin) this.post(c, { t: 'sync', review: id, data });
        return;
      }
      review.toSurfaces.push(data);
      if (review.toSurfaces.length === 1) void replica.settled().then(() => this.forwardVerified(review));
    });
    review.replica.subscribe((state) => {
      // Whatever a peer removed from the shared log goes back in (and so to surfaces and peers).
      if (review.record.heal(doc, this)) return; // the fold runs again with it
      this.indexSoon(state);
      void this.groups.review(doc, state, review.group);
    });
    if (piled >= COMPACT_EVERY) this.compactWhenQuiet(review);
    return review;
  }

  /**
   * What peers sent goes to the surfaces once this hub has folded it, behind the vouchers for what
   * it verified: a surface then checks no signature this hub checked. Sent at once instead, a big
   * review's every event was verified twice, by the hub and by the panel's copy (issue 14).
   */
  private forwardVerified(review: OpenReview): void {
    this.forwardVouchers(review);
    const updates = review.toSurfaces.splice(0);
    for (const c of review.conns) for (const data of updates) this.post(c, { t: 'sync', review: review.id, data });
  }

  /** What the hub vouched for since it last told its surfaces, and what it takes back. */
  private forwardVouchers(review: OpenReview): void {
    this.postVouchers(review.record.takeFresh(), review.record.takeRefuted(), review.id, review.conns);
  }

  /** Once for a batch of refutations (the background checks refute up to 64 at a time), not per envelope. */
  private forwardVouchersSoon(review: OpenReview): void {
    if (review.vouchersDue) return;
    review.vouchersDue = true;
    queueMicrotask(() => {
      review.vouchersDue = false;
      this.forwardVouchers(review);
    });
  }

  private postVouchers(pairs: Voucher[], refuted: Envelope[], review: string, conns: Iterable<Connection>): void {
    const taken = refuted.map((e): [string, string] => [e.s, e.p]);
    for (const message of voucherMessages(review, pairs, taken)) for (const c of conns) this.post(c, message);
  }

  /**
   * The dashboard's row follows the state a moment later: summing a review up costs in proportion
   * to its threads, and a burst of events (a newcomer's sync, an import) needs only the last row.
   * A big review's row waits longer, ten times what it last cost: at 10,000 threads a row took 20–45
   * ms, and made every 150 ms while people wrote, it held up one arriving comment in seven.
   * The dashboard's list waits for the rows still to come (flushIndex).
   */
  private indexSoon(state: ReviewState): void {
    // The first row at once: other operations find a review by it.
    if (!this.rows.has(state.id)) return void this.index(state);
    const waiting = this.unindexed.has(state.id);
    this.unindexed.set(state.id, state);
    const delay = Math.max(INDEX_DELAY_MS, INDEX_COST_FACTOR * Math.min(...(this.rowCosts.get(state.id) ?? [0, 0])));
    if (!waiting) setTimeout(() => void this.flushIndex(state.id), delay);
  }

  /** Writes the rows still waiting (all, or one review's) now: the dashboard's list reads them. */
  private async flushIndex(id?: string): Promise<void> {
    const states = id ? [this.unindexed.get(id)] : [...this.unindexed.values()];
    await Promise.all(
      states.map((state) => {
        if (!state || this.unindexed.get(state.id) !== state) return;
        this.unindexed.delete(state.id);
        return this.index(state);
      }),
    );
  }

  /**
   * Compacts a review's stored updates once it has been quiet for a moment: encoding a big review's
   * document blocks this page for a tenth of a second or more, so not while people write or a
   * newcomer syncs, and never in the write queue (nothing waits for it; a failure leaves the updates
   * in place). Under writes that never pause, it compacts anyway after many more updates.
   */
  private compactWhenQuiet(review: OpenReview): void {
    review.lastUpdate = performance.now();
    // Not into a database being written back; after a pause, or at once after very many updates.
    const due = () => !this.restoring && (review.unCompacted >= COMPACT_EVERY * 25 || performance.now() - review.lastUpdate >= QUIET_MS);
    if (due()) return this.compactNow(review);
    // One timer that looks again when it fires: cleared and set again on every update, as before,
    // timers cost each write at 20,000 events about 20 µs.
    if (review.compaction) return;
    const check = () => {
      if (due()) this.compactNow(review);
      else review.compaction = setTimeout(check, Math.max(QUIET_MS - (performance.now() - review.lastUpdate), 50));
    };
    review.compaction = setTimeout(check, QUIET_MS);
  }

  private compactNow(review: OpenReview): void {
    clearTimeout(review.compaction);
    review.compaction = undefined;
    review.unCompacted = 0;
    const losses = this.losses;
    const sameDatabase = () => this.losses === losses && !this.restoring;
    void compact(this.db, review.id, review.doc, sameDatabase).catch((e: Error) => console.warn('Margins: compaction', e.message));
  }

  /** A review's row in the dashboard's table, or null before it is created. */
  private rowOf(state: ReviewState): ReviewRecord | null {
    if (!state.meta) return null;
    const closes = state.period?.closes ?? null;
    const summary = summarize(state, this.identity.publicKey, this.now());
    return {
      id: state.id,
      title: state.meta.title,
      url: state.meta.url,
      canonical: state.meta.canonical,
      status: closes && Date.parse(closes) < this.now() ? 'closed' : 'active',
      opens: state.period?.opens ?? null,
      closes,
      counts: summary.counts,
      myRole: state.members[this.identity.publicKey]?.role ?? 'none',
      updatedAt: state.clock?.t ?? 0,
      group: state.meta.group,
      period: state.period,
      summary,
    };
  }

  /** Keeps the dashboard's table of reviews in step with each review's folded state. */
  private async index(state: ReviewState): Promise<void> {
    const started = performance.now();
    const record = this.rowOf(state);
    if (!record) return;
    // A review folds on every event that arrives: only the latest row is worth writing, and a row
    // that did not change (an event the dashboard does not show) not at all.
    const json = JSON.stringify(record);
    // indexSoon waits on the lower of the last two: one garbage collection does not stretch it tenfold.
    const cost = performance.now() - started;
    this.rowCosts.set(state.id, [this.rowCosts.get(state.id)?.[1] ?? cost, cost]);
    const slot = this.rows.get(state.id) ?? { written: '', next: null, nextJson: '' };
    this.rows.set(state.id, slot);
    if (json === (slot.next ? slot.nextJson : slot.written)) return;
    const queued = slot.next !== null;
    slot.next = record;
    slot.nextJson = json;
    if (queued) return; // the write already queued takes this newer row
    let taken: { row: ReviewRecord; json: string } | null = null;
    await this.queue.write(async () => {
      // Taken when the job first runs; a retry (a full disk) writes the same row. Taken again, the
      // row was gone, the write threw a TypeError at every retry, and every later write waited behind it.
      if (!taken) {
        taken = { row: slot.next!, json: slot.nextJson };
        slot.next = null;
      }
      const { row, json: written } = taken;
      await this.db.reviews.put(row);
      slot.written = written;
      // Open dashboards and panels follow along.
      for (const c of this.conns) if (c.access.scope === 'extension') this.post(c, { t: 'review', record: row });
    });
  }

  /**
   * Signs and appends an event, after checking the log would accept it; resolves with its id once
   * it is on disk. A request id seen before gets the event that request produced, not a second one.
   */
  private append(review: OpenReview, body: EventBody, requestId?: string): Promise<string> {
    if (requestId) {
      const pending = review.requests.get(requestId);
      if (pending) return pending;
      // Kept from an earlier session (the hub restarted before answering): answered once on disk,
      // as when it was made (a full disk may still hold it back).
      const made = review.record.eventOf(requestId);
      if (made) return review.lastWrite.then(() => made);
    }
    const appended = this.appendOnce(review, body, requestId);
    if (requestId) {
      review.requests.set(requestId, appended);
      appended.catch(() => review.requests.delete(requestId)); // a refused request may be tried again
      if (review.requests.size > REMEMBERED_REQUESTS) review.requests.delete(review.requests.keys().next().value!);
    }
    return appended;
  }

  private async appendOnce(review: OpenReview, body: EventBody, requestId?: string): Promise<string> {
    const { id, written } = await this.inTurn(review, async () => {
      const me = this.identity.publicKey;
      let made!: Made;
      // A peer's event folded while the signature was made: stamped after it, signed and judged
      // again on the state the event now joins (a judgement on the old state would have to fold
      // the whole log). Twice at most: the fold has the last word either way.
      for (let tries = 1; tries <= 2; tries++) {
        const state = await review.replica.settled();
        made = await this.signJudged(review, stampEvent(me, review.id, body, state.clock, this.now(), review.replica.headOf(me)).p);
        if ((await review.replica.settled()) === made.on) break;
      }
      const { envelope, refusal, id, signed, on } = made;
      // Waiting to be admitted: the event counts once the chair's grant arrives (see the fold).
      const waiting = refusal === 'author is not a member of this review' && this.groups.awaitingAdmission(on);
      if (refusal && !waiting) throw new Error(refusal);
      signed();
      // Signed here, so verified: kept now, its row (with the request that made it) goes in the
      // transaction that writes the update.
      review.record.keep(envelope, id, undefined, requestId);
      review.doc.transact(() => eventLog(review.doc).push([envelope]), this);
      return { id, written: review.lastWrite };
    });
    await written;
    return id;
  }

  /** Signs several events in clock order and appends those the log would accept, in one write. */
  private async appendAll(review: OpenReview, bodies: EventBody[]): Promise<void> {
    const { written } = await this.inTurn(review, async () => {
      let clock = (await review.replica.settled()).clock;
      let prev = review.replica.headOf(this.identity.publicKey);
      const accepted: Envelope[] = [];
      for (const body of bodies) {
        const { payload, p } = stampEvent(this.identity.publicKey, review.id, body, clock, this.now(), prev);
        const made = await this.signJudged(review, p);
        // A peer's event folded meanwhile: judged again on the state it joins.
        if ((await review.replica.settled()) !== made.on) made.refusal = (await review.replica.judgeOwn(p)).refusal;
        if (made.refusal) continue;
        made.signed();
        clock = payload.hlc;
        prev = made.id;
        accepted.push(made.envelope);
      }
      if (accepted.length) review.doc.transact(() => eventLog(review.doc).push(accepted), this);
      // Not awaited in the turn: the next append need not wait for this one's write.
      return { written: review.lastWrite };
    });
    await written;
  }

  /**
   * One append at a time per review, from reading its clock and this profile's head to putting the
   * event in the log: two at once named the same predecessor (a fork of this profile's own
   * history, shown to the chair) and were judged without each other. Their writes still go
   * together (ReviewWrites): a job returns its write's promise wrapped, so that the turn ends when
   * the event is in the log, not on disk (a full disk must not hold every later comment back).
   */
  private inTurn<T extends object>(review: OpenReview, job: () => Promise<T>): Promise<T> {
    const turn = review.appending.then(job);
    review.appending = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Signs the text off the main thread and judges it meanwhile (ReviewReplica.judgeOwn), on the
   * state `on`. `signed()` keeps the verdict under the signature, for the fold that takes the
   * envelope.
   */
  private async signJudged(review: OpenReview, p: string): Promise<Made> {
    const [judged, s] = await Promise.all([review.replica.judgeOwn(p), sign(this.identity, p)]);
    return { envelope: { p, s }, refusal: judged.refusal, id: judged.id, on: judged.on, signed: () => judged.signed(s) };
  }

  /** Members are known by the name they chose: publish it where it is missing or stale. */
  private async publishName(review: OpenReview): Promise<void> {
    const name = this.name;
    const state = await review.replica.settled();
    const me = state.members[this.identity.publicKey];
    if (name && me && me.role !== 'none' && me.name !== name) await this.append(review, { type: 'profile.set', name });
  }

  private handlers: { [K in Op]: Handler<K> } = {
    whoami: async () => ({ publicKey: this.identity.publicKey, keyId: this.identity.keyId, name: this.name }),
    'set-name': async ({ name }) => {
      const trimmed = String(name).trim().slice(0, 120);
      if (!trimmed) throw new UserError('errorNameNeeded', 'Please enter a name.');
      await this.rename(trimmed);
      for (const review of this.reviews.values()) void review.then((r) => this.announce(r));
      return null;
    },
    list: async () => {
      // Rows still to come, unless storage is failing: then the list as stored, not no answer.
      await Promise.race([this.flushIndex(), new Promise((r) => setTimeout(r, 1_000))]);
      return this.db.reviews.orderBy('updatedAt').reverse().toArray();
    },
    find: async ({ canonical }) =>
      (await this.db.reviews.where('canonical').equals(String(canonical)).toArray()).sort((a, b) => b.updatedAt - a.updatedAt),
    create: async ({ nonce, title, url, canonical, fingerprint, group }) => {
      const id = `${this.identity.keyId}.${nonce}`;
      if (!REVIEW_ID.test(id)) throw new Error('malformed review id');
      // A review belongs to the group given, or by default to the one group this profile chairs;
      // null keeps it in this browser.
      const chaired = this.groups.chaired();
      const groupId = group === null ? undefined : (group ?? (chaired.length === 1 ? chaired[0].id : undefined));
      if (groupId && !chaired.some((g) => g.id === groupId)) throw new UserError('errorChairStarts', 'Only the chair of a group can start its reviews.');
      const review = await this.open(id);
      review.group = groupId;
      const body = parseBody({ type: 'review.create', title: title || url, url, canonical, fingerprint, ...(groupId ? { group: groupId } : {}) });
      if (typeof body === 'string') throw new Error(body);
      if (!(await review.replica.settled()).meta) await this.append(review, body, `create-${nonce}`);
      await this.publishName(review);
      if (groupId) await this.groups.listReview(groupId, id, { title: body.type === 'review.create' ? body.title : url, url, canonical });
      return { id };
    },
    groups: async () => this.groups.list(),
    'group-names': async () => (await this.groups.list()).filter((g) => !g.removed).map(({ id, name, chair, fields }) => ({ id, name, chair, fields })),
    'create-group': async ({ name, signaling, iceServers }) => this.groups.create(String(name ?? ''), signaling, iceServers),
    invite: async ({ group, days, uses }) => ({ invite: await this.groups.invite(group, days === undefined ? undefined : days, uses === undefined ? undefined : uses) }),
    'revoke-invite': async ({ group, invite }) => {
      await this.groups.revokeInvite(group, invite);
      return null;
    },
    'set-admission': async ({ group, mode }) => {
      if (mode !== 'auto' && mode !== 'approve') throw new Error('unknown admission mode');
      await this.groups.setAdmission(group, mode);
      return null;
    },
    'set-group-options': async ({ group, fields }) => {
      await this.groups.setOptions(group, { fields: fields === true });
      return null;
    },
    admit: async ({ group, key }) => {
      await this.groups.admit(group, key);
      return null;
    },
    'remove-member': async ({ group, key }) => {
      await this.groups.remove(group, key);
      return null;
    },
    'read-invite': async ({ invite }) => {
      const { group, chairFingerprint, invite: terms } = await readInvite(String(invite), this.now());
      // Opened again after joining: this profile is in the group already (and not removed from it).
      const member = (await this.groups.list()).some((g) => g.id === group.id && !g.removed);
      return { group: group.id, name: group.name, fingerprint: chairFingerprint, signaling: group.signaling, expires: terms.expires, member };
    },
    'join-group': async ({ invite, name }) => {
      const trimmed = String(name ?? '').trim().slice(0, 120);
      if (!trimmed) throw new UserError('errorNameNeeded', 'Please enter your name.');
      // A refused invite changes nothing, the name included (the join request carries the new one).
      await readInvite(String(invite), this.now());
      await this.rename(trimmed);
      return this.groups.join(String(invite));
    },
    open: async ({ review }) => {
      if (!REVIEW_ID.test(review)) throw new Error('malformed review id');
      await this.open(review);
      return null;
    },
    append: async ({ review: id, id: eventId, body }) => {
      if (!REVIEW_ID.test(id)) throw new Error('malformed review id');
      const parsed = parseBody(body);
      if (typeof parsed === 'string') throw new Error(parsed);
      const review = await this.open(id);
      await this.publishName(review);
      return { id: await this.append(review, parsed, eventId) };
    },
    import: async ({ review: id, envelope }) => {
      if (!REVIEW_ID.test(id)) throw new Error('malformed review id');
      const review = await this.open(id);
      // In turn with appends: judged on a state that has them.
      const { written } = await this.inTurn(review, async () => {
        const refusal = await review.replica.wouldReject(envelope);
        if (refusal) throw new Error(refusal);
        review.doc.transact(() => eventLog(review.doc).push([{ p: envelope.p, s: envelope.s }]), this);
        return { written: review.lastWrite };
      });
      await written;
      return null;
    },
    'draft-seen': async (args) => {
      const id = String(args?.review);
      // Only for a review this browser holds: nothing is kept under ids made up on the spot.
      if (!REVIEW_ID.test(id) || !(await this.db.reviews.get(id))) throw new Error('no such review');
      const state = await (await this.open(id)).replica.settled();
      return rememberDraft(this.db, args, state.meta?.fingerprint);
    },
    state: async ({ review: id }) => {
      if (!REVIEW_ID.test(String(id))) throw new Error('malformed review id');
      return (await this.open(id)).replica.settled();
    },
    'export-input': async ({ review: id }) => {
      if (!REVIEW_ID.test(String(id))) throw new Error('malformed review id');
      const review = await this.open(id);
      const state = await review.replica.settled();
      const group = review.group ? (await this.groups.list()).find((g) => g.id === review.group)?.name : undefined;
      const { latest, outline } = await loadDraft(this.db, id);
      return { state, ...(group ? { group } : {}), ...(latest ? { latest } : {}), ...(outline ? { outline } : {}) };
    },
    diagnostics: async () => ({ unhandledErrors: this.unhandledErrors, decryptFailures: this.network?.decryptFailures ?? 0 }),
    reminders: async ({ take }) => {
      // Due reminders are marked sent before they are handed out: a browser restart, or two
      // callers at once, never repeat one (a lost notification is better than a nagging one).
      // Without `take` (notifications not allowed) nothing is marked: only the badge is asked for.
      const records = await this.db.reviews.toArray();
      const due = !take ? [] : await this.db.transaction('rw', this.db.settings, async () => {
        const sent = new Set(((await this.db.settings.get('reminders-sent'))?.value as string[] | undefined) ?? []);
        const fresh = dueReminders(records, this.identity.publicKey, this.now(), sent);
        if (fresh.length) await this.db.settings.put({ key: 'reminders-sent', value: [...sent, ...fresh.map((r) => r.key)].slice(-2_000) });
        return fresh;
      });
      return { due, badge: badgeFor(records, this.now()) };
    },
    focus: async ({ review, thread }) => {
      const record = await this.db.reviews.get(String(review));
      if (!record) throw new Error('no such review');
      this.focusAsked = { canonical: record.canonical, review: record.id, thread: String(thread), until: this.now() + FOCUS_MS };
      return null;
    },
    'take-focus': async ({ canonical }) => {
      const asked = this.focusAsked;
      if (!asked || asked.canonical !== canonical || asked.until < this.now()) return null;
      this.focusAsked = null;
      return { review: asked.review, thread: asked.thread };
    },
    'retry-storage': async () => {
      this.queue.retryNow();
      return null;
    },
    'backup-identity': async ({ passphrase }) => ({
      file: await backupOf(this.identity, this.name, this.groups.holdings(), String(passphrase ?? '')),
      keyId: this.identity.keyId,
    }),
    'restore-identity': async ({ file, passphrase }) => {
      const restored = await restoreInto(this.db, this.identity, String(file ?? ''), String(passphrase ?? ''));
      // This hub's key is no longer the profile's: it takes no more requests and the page restarts.
      this.replaced = true;
      setTimeout(() => this.restart(), 100);
      return restored;
    },
  };
}
