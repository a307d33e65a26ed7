/**
 * The IndexedDB schema, opened only by the hub (an extension-origin page): a content script's
 * IndexedDB would belong to the page's origin, where the page could read or wipe it.
 * Each schema change is a new Dexie version with an upgrade function; never edit a past version.
 */
import Dexie, { type DexieOptions, type Table } from 'dexie';
import type { Group } from '../groups/group';
import type { Period, ReviewCounts } from '../review/state';
import type { ReviewSummary } from '../review/summary';

export interface ReviewRecord {
  id: string;
  title: string;
  url: string;
  canonical: string;
  /** 'active' until the period closes. */
  status: 'active' | 'closed';
  opens: string | null;
  closes: string | null;
  counts: ReviewCounts;
  myRole: 'chair' | 'member' | 'none';
  updatedAt: number;
  /** The group whose members review it, if any. */
  group?: string;
  /** The period in force (the dashboard works out its phase at the time it shows it). */
  period?: Period | null;
  /** Everything the dashboard shows of it, as of the last fold (see lib/review/summary.ts). */
  summary?: ReviewSummary;
}

export interface UpdateRecord {
  seq?: number;
  reviewId: string;
  data: Uint8Array;
}

export interface SnapshotRecord {
  reviewId: string;
  data: Uint8Array;
  /** Highest update seq merged into this snapshot. */
  upTo: number;
}

/** An envelope this hub verified: kept whatever later happens to the shared document. */
export interface EnvelopeRecord {
  reviewId: string;
  /** The signature, unique to one signed payload. */
  s: string;
  p: string;
  /** The event id (the payload's hash), kept so that a start-up need not hash it again; absent in older rows. */
  id?: string;
  /** Kept on its author's hash chain, its own signature not checked yet (lib/review/chains.ts). */
  unsigned?: boolean;
  /** The surface's request that made it, for one signed here: a request tried again after a restart is not made twice. */
  request?: string;
}

export interface SettingRecord {
  key: string;
  value: unknown;
}

export class MarginsDB extends Dexie {
  reviews!: Table<ReviewRecord, string>;
  updates!: Table<UpdateRecord, number>;
  snapshots!: Table<SnapshotRecord, string>;
  /** Identity (CryptoKey objects, stored by structured clone) and profile settings. */
  settings!: Table<SettingRecord, string>;
  /** Groups this profile belongs to, with their secrets: hub only. */
  groups!: Table<Group, string>;
  /** Every envelope the hub verified, per review (see lib/hub/record.ts). */
  envelopes!: Table<EnvelopeRecord, [string, string]>;

  constructor(name = 'margins', options?: DexieOptions) {
    super(name, options);
    // Dexie's live queries watch every write: a cache middleware makes an AbortController (and its
    // DOMException) per read-write transaction, and the observability middleware records each
    // written key in range sets and broadcasts them to other pages. Nothing here uses live queries
    // (only the hub opens this database), and a newcomer's hub writes 10,000 rows at once.
    this.unuse({ stack: 'dbcore', name: 'Cache' });
    this.unuse({ stack: 'dbcore', name: 'Observability' });
    this.version(1).stores({
      reviews: 'id, canonical, status, closes, updatedAt',
      updates: '++seq, reviewId',
      snapshots: 'reviewId',
      settings: 'key',
    });
    // v2: groups and peer-to-peer sync. Existing reviews belong to no group: nothing to migrate.
    this.version(2)
      .stores({ groups: 'id', reviews: 'id, canonical, status, closes, updatedAt, group' })
      .upgrade(async (tx) => {
        await tx.table('reviews').toCollection().modify((r: ReviewRecord) => {
          r.group ??= undefined;
        });
      });
    // v3: the verified record. Reviews stored before it fill it the next time they are folded.
    this.version(3).stores({ envelopes: '[reviewId+s], reviewId' });
  }
}
