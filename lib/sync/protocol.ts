/**
 * Messages between a surface (overlay, popup) and the hub over a runtime.Port.
 * Yjs state travels as y-protocols sync messages, base64url-encoded because ports carry JSON.
 * Everything else is a request with an id and a response to it.
 */
import * as v from 'valibot';
import type { ReviewRecord } from '../store/db';
import type { StorageStatus } from '../store/durable';
import type { EventBody } from '../review/events';
import type { Voucher } from '../review/verify';
import type { RoomStatus } from './webrtc-network';
import type { GroupView } from '../hub/groups';
import type { Reminder } from '../hub/reminders';
import type { Admission } from '../groups/records';
import type { DraftRevision, OutlineEntry } from '../export/input';
import type { ReviewState } from '../review/state';

export const MAX_SYNC_MESSAGE = 8 * 1024 * 1024;

export type SyncMessage = { t: 'sync'; review: string; data: string };

export interface Requests {
  whoami: { args: Record<string, never>; result: { publicKey: string; keyId: string; name: string } };
  'set-name': { args: { name: string }; result: null };
  list: { args: Record<string, never>; result: ReviewRecord[] };
  find: { args: { canonical: string }; result: ReviewRecord[] };
  create: {
    /** `group`: the group to share the review with; null for none; absent for the one group chaired. */
    args: { nonce: string; title: string; url: string; canonical: string; fingerprint?: string; group?: string | null };
    result: { id: string };
  };
  groups: { args: Record<string, never>; result: GroupView[] };
  /** What the draft's sidebar needs of the groups (no members, invites or requests): names, which ones this profile chairs, their options. */
  'group-names': { args: Record<string, never>; result: { id: string; name: string; chair: boolean; fields: boolean }[] };
  'create-group': { args: { name: string; signaling: string[]; iceServers: { urls: string | string[]; username?: string; credential?: string }[] }; result: { id: string; invite: string } };
  /** A new invite: `days` until it expires (null: never), `uses` members it admits (null: no limit). */
  invite: { args: { group: string; days?: number | null; uses?: number | null }; result: { invite: string } };
  'revoke-invite': { args: { group: string; invite: string }; result: null };
  'set-admission': { args: { group: string; mode: Admission }; result: null };
  /** The chair turns the commenting template's fields (comment type, proposed change) on or off for the group. */
  'set-group-options': { args: { group: string; fields: boolean }; result: null };
  /** The chair admits a join request the rules held back. */
  admit: { args: { group: string; key: string }; result: null };
  /** The chair removes a member: revoked in every review, and a new group secret for the others. */
  'remove-member': { args: { group: string; key: string }; result: null };
  'read-invite': { args: { invite: string }; result: { group: string; name: string; fingerprint: string; signaling: string[]; expires: number | null; member: boolean } };
  'join-group': { args: { invite: string; name: string }; result: { id: string } };
  open: { args: { review: string }; result: null };
  /** `id`: the surface's request id (a retry with the same id gets the same event). Result: the event's id. */
  append: { args: { review: string; id: string; body: EventBody }; result: { id: string } };
  /** Adds an event signed elsewhere (a role grant handed over by the chair). */
  import: { args: { review: string; envelope: { p: string; s: string } }; result: null };
  'retry-storage': { args: Record<string, never>; result: null };
  /** Reminders now due (each handed out once, ever) and the toolbar badge: the background shows them. */
  reminders: { args: { take: boolean }; result: { due: Reminder[]; badge: { text: string; kind: 'open' | 'time' | 'none' } } };
  /** The dashboard asks for a thread to be selected when its draft's sidebar next opens. */
  focus: { args: { review: string; thread: string }; result: null };
  /** The sidebar of the draft at `canonical` takes the thread asked for, if any (once). */
  'take-focus': { args: { canonical: string }; result: { review: string; thread: string } | null };
  /**
   * The sidebar tells the hub how the draft reads now (exports say what became of each passage).
   * The text goes only when the hub asks for it (`need`): it is often megabytes, and unchanged.
   */
  'draft-seen': { args: { review: string; fingerprint: string; outline: OutlineEntry[]; text?: string }; result: { need: boolean } };
  /**
   * The review as the hub has verified and folded it. A surface shows it while its own copy of the
   * review syncs and folds: that reads every envelope again (a tenth of a second for 1,000 comments),
   * and the page waits for its highlights meanwhile.
   */
  state: { args: { review: string }; result: ReviewState };
  /** What an export of the review is made from (lib/export): the verified fold, the group's name, the draft as last seen, the reviewed revision's outline. */
  'export-input': { args: { review: string }; result: { state: ReviewState; group?: string; latest?: DraftRevision; outline?: OutlineEntry[] } };
  /** This profile's identity (keys, name, groups) sealed under a passphrase: the file's text (lib/identity/backup.ts). */
  'backup-identity': { args: { passphrase: string }; result: { file: string; keyId: string } };
  /** Makes this profile the one in the backup (only while it has no reviews or groups); the hub then restarts. */
  'restore-identity': { args: { file: string; passphrase: string }; result: { publicKey: string; keyId: string; name: string } };
  /** Counters for the sync problems view and for tests. */
  diagnostics: { args: Record<string, never>; result: { unhandledErrors: number; decryptFailures: number } };
}
export type Op = keyof Requests;


export type RequestMessage = { t: 'req'; id: number; op: Op; args: unknown };
export type ResponseMessage =
  | { t: 'res'; id: number; ok: true; value: unknown }
  /** `code` and `args` name the error's message in locales/ when it is meant for the user (UserError). */
  | { t: 'res'; id: number; ok: false; error: string; code?: string; args?: string[] };
export type StatusMessage = { t: 'storage'; status: StorageStatus };
/** Peer-to-peer state of a review's room: connections, who is here, what peers sent that was dropped. */
export type PeersMessage = { t: 'peers'; review: string } & RoomStatus;
/** A review's dashboard row changed (after a fold): open dashboards update live. */
export type ReviewMessage = { t: 'review'; record: ReviewRecord };
/**
 * Sent to a surface when it first syncs a review, before the review itself, and as the hub verifies
 * more: [signature, event id, text] of each envelope the hub has verified, so that the surface
 * checks none of them again (it compares the text: no hash, no signature); and [signature, text] of
 * those it took on their author's chain whose own signature then failed (`refuted`), which the
 * surface sets aside as the hub did.
 */
export type VerifiedMessage = { t: 'verified'; review: string; pairs: Voucher[]; refuted?: [string, string][] };

/**
 * Characters of vouchers and refutations per message. Each carries its text (up to 64,000
 * characters): a review's vouchers in one message grow with its history, and a port refuses a
 * message past 64 MiB in Chromium. 4 Mi characters stay below that even escaped in JSON.
 */
export const VOUCHER_CHARS_PER_MESSAGE = 4 * 1024 * 1024;

/**
 * Vouchers, then refutations, as messages of about `budget` characters each (at least one item
 * each): in order, so that a refutation comes after the voucher it takes back.
 */
export function voucherMessages(review: string, pairs: Voucher[], refuted: [string, string][] = [], budget = VOUCHER_CHARS_PER_MESSAGE): VerifiedMessage[] {
  const messages: VerifiedMessage[] = [];
  let current: VerifiedMessage | null = null;
  let chars = 0;
  const room = (size: number) => {
    if (!current || (chars + size > budget && chars > 0)) {
      messages.push((current = { t: 'verified', review, pairs: [] }));
      chars = 0;
    }
    chars += size;
    return current;
  };
  for (const v of pairs) room(v[0].length + v[1].length + v[2].length).pairs.push(v);
  for (const r of refuted) (room(r[0].length + r[1].length).refuted ??= []).push(r);
  return messages;
}
export type HubMessage = SyncMessage | ResponseMessage | StatusMessage | PeersMessage | ReviewMessage | VerifiedMessage;

const SyncSchema = v.strictObject({ t: v.literal('sync'), review: v.string(), data: v.pipe(v.string(), v.maxLength(MAX_SYNC_MESSAGE)) });
const RequestSchema = v.strictObject({ t: v.literal('req'), id: v.number(), op: v.string(), args: v.unknown() });

/** Messages that reach the hub are checked before anything else looks at them. */
export function parseSurfaceMessage(raw: unknown): SyncMessage | RequestMessage | null {
  const sync = v.safeParse(SyncSchema, raw);
  if (sync.success) return sync.output;
  const req = v.safeParse(RequestSchema, raw);
  return req.success ? (req.output as RequestMessage) : null;
}
