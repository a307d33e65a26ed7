/**
 * The hub's side of groups: their secrets, their directory (the reviews the chair listed, the
 * member list, invites, join requests), their rooms, admitting members to every review of the
 * group, and removing them. Every directory entry is signed (lib/groups/records.ts) and every
 * hub puts back the signed entries it has seen when someone deletes or overwrites them.
 *
 * Removing a member: the chair's hub marks them removed in the member list, revokes their role in
 * every review of the group (naming their last event, so they cannot backdate), seals a new group
 * secret to each remaining member's key-agreement key, and moves the group's rooms to the new
 * secret. The removed member's browser knows only the old secret: it receives nothing new.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { decide, type Held } from '../groups/admission';
import { groupIdOf, joinProof, newSecret, ticketOf, type Group, type IceServer } from '../groups/group';
import { makeInvite, readInvite } from '../groups/invite';
import { visibleName } from '../review/names';
import { openRecord, readRecord, signRecord, type Admission, type GroupRecord, type RecordOf, type SignedRecord } from '../groups/records';
import { fingerprint, keyIdOf, seal, unseal, type Identity } from '../identity';
import { randomId } from '../review/ids';
import { creatorKeyIdOf } from '../review/fold';
import type { ReviewState } from '../review/state';
import type { MarginsDB } from '../store/db';
import { loadReview } from '../store/updates';
import type { RoomStatus, WebrtcNetwork } from '../sync/webrtc-network';
import { UserError } from '../user-error';

const DirectoryEntry = v.strictObject({
  title: v.pipe(v.string(), v.maxLength(500)),
  url: v.pipe(v.string(), v.maxLength(4000)),
  canonical: v.pipe(v.string(), v.maxLength(4000)),
});
export type ListingEntry = v.InferOutput<typeof DirectoryEntry>;

/** Defaults for a new invite: two weeks, enough uses for a working group and its alternates. */
export const INVITE_DAYS = 14;
export const INVITE_USES = 25;
/** How long the chair waits in the old rooms after a removal, for the removal to reach everyone. */
const FLUSH_MS = 2_000;
/** How long a replaced secret's handover room is kept, for members who were away to find the new one. */
const HANDOVER_DAYS = 30;
/** Join requests kept at most: beyond that, a flood of minted keys is not read. */
const MAX_REQUESTS = 200;
/** New join requests whose signature a pass checks at most: the work a flood of them costs. */
const MAX_CHECKS = 1_000;

export interface GroupHost {
  db: MarginsDB;
  identity: Identity;
  network: WebrtcNetwork | null;
  now(): number;
  /** Keep a doc's updates durably, under this storage key. */
  persist(doc: Y.Doc, key: string): void;
  /** Open a review (and so join its room) that a directory lists, or look at it again. */
  openListed(reviewId: string, group: Group, entry: ListingEntry): void;
  /** The review's state once every change so far is folded. */
  settled(reviewId: string): Promise<ReviewState>;
  /** Append member grants signed by this profile, all in one write. */
  grant(reviewId: string, members: { subject: string; name: string }[]): Promise<void>;
  /** Append this profile's revocation of `subject`'s role, naming their last event. */
  revoke(reviewId: string, subject: string): Promise<void>;
  /** Ids of the reviews this profile holds for a group. */
  reviewsOf(groupId: string): Promise<string[]>;
  displayName(): Promise<string>;
  peers(reviewId: string, status: RoomStatus): void;
}

/** A group as the options page shows it. */
export interface GroupView {
  id: string;
  name: string;
  chair: boolean;
  fingerprint: string;
  signaling: string[];
  removed: boolean;
  admission: Admission;
  /** Whether the composer asks for a comment type and a proposed change (standards work; off by default). */
  fields: boolean;
  members: { key: string; name: string; fingerprint: string; invite: string; status: 'member' | 'removed' }[];
  pending: { key: string; name: string; fingerprint: string; invite: string; held: Held }[];
  invites: { id: string; expires: number | null; uses: number | null; used: number; revoked: boolean }[];
}

/** Which maps of which doc hold signed entries, and who must have signed them. */
type Place = { doc: 'dir' | 'handover'; map: 'reviews' | 'members' | 'invites' | 'admission' | 'options' | 'join' | 'rekey' };
const PLACES: (Place & { kind: GroupRecord['kind'] })[] = [
  { doc: 'dir', map: 'reviews', kind: 'listing' },
  { doc: 'dir', map: 'members', kind: 'member' },
  { doc: 'dir', map: 'invites', kind: 'invite' },
  { doc: 'dir', map: 'admission', kind: 'admission' },
  { doc: 'dir', map: 'options', kind: 'options' },
  { doc: 'dir', map: 'join', kind: 'join' },
  // A new secret goes into the directory (members online have it at once) and into the handover
  // doc, whose rooms under replaced secrets are where members who were away find it.
  { doc: 'dir', map: 'rekey', kind: 'rekey' },
  { doc: 'handover', map: 'rekey', kind: 'rekey' },
];

/** Of two valid entries under one key, whether `a` is the later word. */
function supersedes(a: GroupRecord, b: GroupRecord): boolean {
  if (a.kind === 'member' && b.kind === 'member') return a.at > b.at;
  if (a.kind === 'admission' && b.kind === 'admission') return a.at > b.at;
  if (a.kind === 'options' && b.kind === 'options') return a.at > b.at;
  if (a.kind === 'join' && b.kind === 'join') return a.at > b.at;
  if (a.kind === 'invite' && b.kind === 'invite') return a.revoked && !b.revoked;
  return false;
}

/** Whether a map's value is already exactly this signed entry (writing it again would be an update, and a loop). */
function sameRaw(raw: unknown, kept: SignedRecord): boolean {
  return !!raw && typeof raw === 'object' && (raw as SignedRecord).p === kept.p && (raw as SignedRecord).s === kept.s;
}

interface Live {
  group: Group;
  dir: Y.Doc;
  handover: Y.Doc;
  /** Signed entries this hub has verified, by `map/key`: put back when removed or replaced. */
  kept: Map<string, { raw: SignedRecord; record: GroupRecord }>;
  /** Serialises directory passes and the chair's changes: one at a time. */
  pass: Promise<void>;
  /** A pass is queued: further changes until it starts are looked at by it. */
  queued: boolean;
}

export class Groups {
  private live = new Map<string, Live>();
  private joined = new Set<string>();
  /** Per review: the chair's grant-and-revoke pass, one at a time so nothing is written twice. */
  private passes = new Map<string, Promise<void>>();
  private queuedPasses = new Set<string>();
  private proofs = new Map<string, Promise<string>>();

  constructor(private host: GroupHost) {
    host.network?.onStatus((key, status) => {
      if (key !== 'dir' && !key.startsWith('handover')) host.peers(key, status);
    });
  }

  async start(): Promise<void> {
    for (const group of await this.host.db.groups.toArray()) await this.activate(group);
  }

  get(id: string | undefined): Group | undefined {
    return id ? this.live.get(id)?.group : undefined;
  }

  private get me(): string {
    return this.host.identity.publicKey;
  }

  /** Whether this profile belongs to the review's group, so that its chair will admit it. */
  awaitingAdmission(state: ReviewState): boolean {
    const group = this.get(state.meta?.group);
    return !!group && !group.removed;
  }

  /** Groups whose reviews this profile may start (it is their chair). */
  chaired(): Group[] {
    return [...this.live.values()].map((l) => l.group).filter((g) => g.chair === this.me);
  }

  /** What this hub holds of its groups, to write back when the database was lost (Hub.restore). */
  holdings(): { groups: Group[]; docs: [string, Y.Doc][] } {
    const live = [...this.live.values()];
    return { groups: live.map((l) => l.group), docs: live.flatMap((l): [string, Y.Doc][] => [[`dir.${l.group.id}`, l.dir], [`handover.${l.group.id}`, l.handover]]) };
  }

  async list(): Promise<GroupView[]> {
    return Promise.all([...this.live.values()].map((l) => this.view(l)));
  }

  /** Signed join requests in the directories of all groups from keys not (yet) members: the group server's metrics. */
  waitingRequests(): number {
    let n = 0;
    for (const l of this.live.values()) {
      const roster = this.entries<'member'>(l, 'members');
      for (const key of this.entries<'join'>(l, 'join').keys()) if (roster.get(key)?.status !== 'member' && key !== l.group.chair) n++;
    }
    return n;
  }

  private async view(l: Live): Promise<GroupView> {
    const g = l.group;
    const roster = this.entries<'member'>(l, 'members');
    const invites = this.entries<'invite'>(l, 'invites');
    const fp = async (key: string) => fingerprint(await keyIdOf(key));
    const pending: GroupView['pending'] = [];
    if (g.chair === this.me) {
      for (const { request, held } of await this.held(l)) pending.push({ key: request.key, name: visibleName(request.name), fingerprint: await fp(request.key), invite: request.invite, held });
    }
    return {
      id: g.id,
      name: g.name,
      chair: g.chair === this.me,
      fingerprint: await fp(g.chair),
      signaling: g.signaling,
      removed: !!g.removed,
      admission: this.admission(l),
      fields: this.entries<'options'>(l, 'options').get('options')?.fields ?? false,
      members: await Promise.all([...roster.values()].map(async (m) => ({ key: m.key, name: visibleName(m.name), fingerprint: await fp(m.key), invite: m.invite, status: m.status }))),
      pending,
      invites: [...invites.values()].map((i) => ({ id: i.id, expires: i.expires, uses: i.uses, used: [...roster.values()].filter((m) => m.invite === i.id).length, revoked: i.revoked })),
    };
  }

  async create(name: string, signaling: string[], iceServers: IceServer[]): Promise<{ id: string; invite: string }> {
    const secret = newSecret();
    const draft = { id: await groupIdOf(secret, this.me), epoch: 0, name: name.trim(), secret, chair: this.me, signaling, iceServers };
    const terms = { id: randomId(), expires: this.host.now() + INVITE_DAYS * 86_400_000, token: randomId() };
    const invite = await makeInvite(draft, terms, this.host.identity);
    const { group } = await readInvite(invite, this.host.now()); // the same validation a member's browser applies
    group.tokens = { [terms.id]: terms.token };
    await this.host.db.groups.put(group);
    const l = await this.activate(group);
    await this.put(l, 'invites', terms.id, { kind: 'invite', group: group.id, id: terms.id, expires: terms.expires, uses: INVITE_USES, revoked: false });
    return { id: group.id, invite };
  }

  private chairOf(id: string): Live {
    const l = this.live.get(id);
    if (!l) throw new UserError('errorNoGroup', 'No such group.');
    if (l.group.chair !== this.me) throw new UserError('errorChairInvites', 'Only the chair can invite or remove members.');
    return l;
  }

  /** A new invite: `days` until it expires (null: never), `uses` members it admits (null: any number). */
  async invite(id: string, days: number | null = INVITE_DAYS, uses: number | null = INVITE_USES): Promise<string> {
    const l = this.chairOf(id);
    const terms = { id: randomId(), expires: days === null ? null : this.host.now() + Math.max(1, Math.min(days, 365)) * 86_400_000, token: randomId() };
    l.group = { ...l.group, tokens: { ...l.group.tokens, [terms.id]: terms.token } };
    await this.put(l, 'invites', terms.id, { kind: 'invite', group: id, id: terms.id, expires: terms.expires, uses: uses === null ? null : Math.max(1, Math.min(uses, 1_000)), revoked: false });
    return makeInvite(l.group, terms, this.host.identity);
  }

  async revokeInvite(id: string, inviteId: string): Promise<void> {
    const l = this.chairOf(id);
    const invite = this.entries<'invite'>(l, 'invites').get(inviteId);
    if (invite && !invite.revoked) await this.put(l, 'invites', inviteId, { ...invite, revoked: true });
  }

  async setAdmission(id: string, mode: Admission): Promise<void> {
    const l = this.chairOf(id);
    await this.put(l, 'admission', 'mode', { kind: 'admission', group: id, mode, at: this.host.now() });
    this.look(l);
  }

  async setOptions(id: string, options: { fields: boolean }): Promise<void> {
    const l = this.chairOf(id);
    await this.put(l, 'options', 'options', { kind: 'options', group: id, fields: options.fields === true, at: this.host.now() });
  }

  async join(code: string): Promise<{ id: string }> {
    const { group, invite } = await readInvite(code, this.host.now());
    let l = this.live.get(group.id);
    if (!l) {
      await this.host.db.groups.put(group);
      l = await this.activate(group);
    } else if (group.chair === l.group.chair && (group.epoch > l.group.epoch || (l.group.removed && group.epoch >= l.group.epoch && group.secret !== l.group.secret))) {
      // A newer invite from the same chair: the group's current secret (after a removal we missed,
      // or to come back after being removed).
      const known = l;
      known.group = { ...known.group, removed: false };
      await this.serially(known, () => this.switchSecret(known, group.secret, group.epoch));
    }
    if (group.chair !== this.me && !this.entries<'member'>(l, 'members').has(this.me)) {
      const request: RecordOf<'join'> = {
        kind: 'join',
        group: group.id,
        key: this.me,
        name: (await this.host.displayName()) || 'Reviewer',
        agree: this.host.identity.agreement.publicKey,
        invite: invite.id,
        proof: await joinProof(l.group.secret, group.id, this.me),
        ticket: await ticketOf(invite.token, group.id, this.me),
        at: this.host.now(),
      };
      await this.put(l, 'join', this.me, request, this.host.identity);
    }
    return { id: group.id };
  }

  /** The chair admits a request the rules held back. */
  async admit(id: string, key: string): Promise<void> {
    const l = this.chairOf(id);
    return this.serially(l, () => this.admitNow(l, key));
  }

  private async admitNow(l: Live, key: string): Promise<void> {
    const id = l.group.id;
    const request = (await this.requests(l)).get(key);
    if (!request) throw new UserError('errorNoRequest', 'That request is no longer there.');
    await this.put(l, 'members', key, { kind: 'member', group: id, key, name: request.name, agree: request.agree, invite: request.invite, status: 'member', at: this.host.now() });
    await this.everyReview(l);
  }

  /** The chair removes a member: see the module comment. One removal at a time. */
  remove(id: string, key: string): Promise<void> {
    const l = this.chairOf(id);
    return this.serially(l, () => this.removeNow(l, key));
  }

  private async removeNow(l: Live, key: string): Promise<void> {
    const id = l.group.id;
    const roster = this.entries<'member'>(l, 'members');
    const entry = roster.get(key);
    if (!entry || entry.status === 'removed') throw new UserError('errorNotMember', 'That person is not a member of the group.');
    // The new secret is sealed before anything changes, so a failure leaves the group as it was.
    // Only to keys that no removed member also holds; and to the chair's own, to finish after a crash.
    const removedAgree = new Set([...roster.values()].filter((m) => m.status === 'removed' || m.key === key).map((m) => m.agree));
    const recipients = [...roster.values()].filter((m) => m.status === 'member' && m.key !== key && !removedAgree.has(m.agree)).map((m) => m.agree);
    const secret = newSecret();
    const epoch = l.group.epoch + 1;
    const { ephemeral, sealed } = await seal(secret, [...recipients, this.host.identity.agreement.publicKey], `${id}:${epoch}`);
    l.group = { ...l.group, pending: { secret, epoch } };
    await this.save(l);
    // Revocations before the member list: a removed member's hub leaves the group once it sees the
    // list say so, and should have its revocations by then.
    for (const reviewId of await this.host.reviewsOf(id)) await this.host.revoke(reviewId, key);
    await this.put(l, 'members', key, { ...entry, status: 'removed', at: Math.max(this.host.now(), entry.at + 1) });
    // Invites carry the secret that is about to be replaced: none of them can admit anyone now.
    for (const invite of this.entries<'invite'>(l, 'invites').values()) if (!invite.revoked) await this.put(l, 'invites', invite.id, { ...invite, revoked: true });
    await this.put(l, 'rekey', String(epoch), { kind: 'rekey', group: id, epoch, ephemeral, sealed });
    // The removal reaches everyone in the old rooms (the removed member too) before the chair
    // moves on; nothing new is written there meanwhile, since this request has not returned.
    await new Promise((r) => setTimeout(r, FLUSH_MS));
    await this.switchSecret(l, secret, epoch);
  }

  /** The chair lists a new review of the group in its directory (signed, so no one else can). */
  async listReview(groupId: string, reviewId: string, entry: ListingEntry): Promise<void> {
    const l = this.live.get(groupId);
    if (l && l.group.chair === this.me) await this.put(l, 'reviews', reviewId, { kind: 'listing', group: groupId, review: reviewId, ...entry });
  }

  /**
   * Called with every state of a review: joins its room and, for the chair, brings the review's
   * roles in line with the group's member list.
   */
  async review(doc: Y.Doc, state: ReviewState, groupId?: string): Promise<void> {
    const l = this.live.get(state.meta?.group ?? groupId ?? '');
    if (!l || l.group.removed) return;
    // A review created for another group is not this group's, whoever listed it.
    if (state.meta && state.meta.group !== l.group.id) return;
    if (!this.joined.has(state.id)) {
      this.joined.add(state.id);
      await this.host.network?.join(l.group, state.id, doc);
    }
    if (state.members[this.me]?.role === 'chair') this.chairPass(l, state.id);
  }

  /** Grants the member role to listed members who lack it, and revokes it from removed ones. */
  private chairPass(l: Live, reviewId: string): void {
    const run = async () => {
      const state = await this.host.settled(reviewId);
      const roster = this.entries<'member'>(l, 'members');
      const grant: { subject: string; name: string }[] = [];
      for (const m of roster.values()) {
        const role = state.members[m.key]?.role ?? 'none';
        // A revocation in this review newer than the admission stands (the chair removed them here).
        const revoked = state.members[m.key]?.removed;
        if (m.status === 'member' && role === 'none' && !(revoked && revoked.at > m.at)) grant.push({ subject: m.key, name: m.name });
        if (m.status === 'removed' && role !== 'none') await this.host.revoke(reviewId, m.key);
      }
      if (grant.length) await this.host.grant(reviewId, grant);
    };
    // Every fold asks for a pass; one waiting is enough, since it reads the state when it runs.
    if (this.queuedPasses.has(reviewId)) return;
    this.queuedPasses.add(reviewId);
    const go = () => {
      this.queuedPasses.delete(reviewId);
      return run();
    };
    const next = (this.passes.get(reviewId) ?? Promise.resolve()).then(go, go).catch(() => undefined);
    this.passes.set(reviewId, next);
  }

  private async everyReview(l: Live): Promise<void> {
    for (const reviewId of await this.host.reviewsOf(l.group.id)) {
      const state = await this.host.settled(reviewId);
      if (state.members[this.me]?.role === 'chair') this.chairPass(l, reviewId);
    }
  }

  // ── the directory ──

  private async activate(group: Group): Promise<Live> {
    const open = async (key: string) => {
      const doc = new Y.Doc();
      const stored = await loadReview(this.host.db, key);
      if (stored) Y.applyUpdate(doc, stored, 'storage');
      this.host.persist(doc, key);
      return doc;
    };
    const l: Live = { group, dir: await open(`dir.${group.id}`), handover: await open(`handover.${group.id}`), kept: new Map(), pass: Promise.resolve(), queued: false };
    for (const [k, raw] of Object.entries(group.kept ?? {})) {
      const record = JSON.parse(raw.p) as GroupRecord;
      l.kept.set(k, { raw, record });
    }
    this.live.set(group.id, l);
    l.dir.on('update', () => this.look(l));
    l.handover.on('update', () => this.look(l));
    this.look(l);
    await this.joinRooms(l);
    // The chair stopped between announcing a new secret and moving to it: move now.
    if (group.pending && group.pending.epoch > group.epoch) await this.serially(l, () => this.switchSecret(l, group.pending!.secret, group.pending!.epoch));
    return l;
  }

  private async joinRooms(l: Live): Promise<void> {
    const network = this.host.network;
    if (!network || l.group.removed) return;
    await network.join(l.group, 'dir', l.dir);
    // Handover rooms under the secrets the group had before: a member who was away through a
    // removal finds the new secret, sealed to them, where their old one still leads. (None while the
    // group has had one secret: every room is a mesh of connections, so no room is joined in vain.)
    const now = this.host.now();
    for (const [i, secret] of l.group.past.entries()) {
      const replaced = l.group.replacedAt?.[i];
      if (replaced !== undefined && now > replaced + HANDOVER_DAYS * 86_400_000) continue; // long enough
      await network.join({ ...l.group, secret }, 'handover', l.handover, `handover@${i}`);
    }
  }

  /** One look at the directory after a change: keep, heal, open listings, admit, follow a new secret. */
  private look(l: Live): void {
    if (l.queued) return; // the queued pass will see this change too
    l.queued = true;
    this.serially(l, () => {
      l.queued = false;
      return this.pass(l);
    }).catch((error) => console.warn('Margins: group pass failed', error));
  }

  /** Runs `work` after every pass and change already queued for the group, and before later ones. */
  private serially<T>(l: Live, work: () => Promise<T>): Promise<T> {
    const run = l.pass.then(work);
    l.pass = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async pass(l: Live): Promise<void> {
    await this.keepAndHeal(l);
    const chairKeyId = await keyIdOf(l.group.chair);
    for (const [reviewId, listing] of this.entries<'listing'>(l, 'reviews')) {
      // Only the chair starts a group's reviews; the listing is signed by the chair for this group.
      if (creatorKeyIdOf(reviewId) === chairKeyId) this.host.openListed(reviewId, l.group, { title: listing.title, url: listing.url, canonical: listing.canonical });
    }
    await this.followRekey(l);
    const me = this.entries<'member'>(l, 'members').get(this.me);
    const asked = this.entries<'join'>(l, 'join').get(this.me)?.at ?? 0;
    // Removed, unless we asked to come back since (with a newer invite the chair gave us).
    if (me?.status === 'removed' && me.at > asked && !l.group.removed) await this.markRemoved(l);
    if (l.group.chair === this.me) await this.admitWaiting(l);
  }

  /** Who signs entries of a map: the chair, except join requests, each signed by the key it names. */
  private signer(l: Live, map: Place['map']): string | ((r: RecordOf<'join'>) => string) {
    return map === 'join' ? (r) => r.key : l.group.chair;
  }

  private doc(l: Live, place: Place['doc']): Y.Doc {
    return place === 'dir' ? l.dir : l.handover;
  }

  /** Keeps every valid entry, and puts back kept entries that went missing or were replaced by less. */
  private async keepAndHeal(l: Live): Promise<void> {
    let changed = false;
    for (const place of PLACES) {
      const map = this.doc(l, place.doc).getMap<unknown>(place.map);
      const keys = new Set([...map.keys(), ...[...l.kept.keys()].filter((k) => k.startsWith(`${place.map}/`)).map((k) => k.slice(place.map.length + 1))]);
      let requests = 0;
      let checks = 0;
      for (const key of keys) {
        const raw = map.get(key);
        const fresh = place.map === 'join' && !l.kept.has(`join/${key}`);
        if (place.map === 'join' && !fresh) requests++;
        if (fresh) {
          // A new request is read cheapest first: its shape under the key it names, its proof of
          // the group's secret (a keyed hash), then its signature (its verdict cached). Only one
          // that passes all three counts toward the bound: nothing written without a key pair of
          // its own crowds out the requests that follow it.
          const shaped = readRecord(raw, 'join', l.group.id);
          if (shaped?.key !== key || shaped.proof !== (await this.proofOf(l, key)) || ++checks > MAX_CHECKS) continue;
        }
        const record = await openRecord(raw, place.kind, l.group.id, this.signer(l, place.map) as never);
        let keyed = record && this.keyOf(record) === key ? record : null;
        // A request counts only from someone holding the group's current secret.
        if (keyed?.kind === 'join' && keyed.proof !== (await this.proofOf(l, keyed.key))) keyed = null;
        if (fresh && (!keyed || ++requests > MAX_REQUESTS)) continue;
        const kept = l.kept.get(`${place.map}/${key}`);
        if (kept?.record.kind === 'join' && kept.record.proof !== (await this.proofOf(l, kept.record.key))) {
          // A request made under a secret since replaced: stale, not something to put back.
          l.kept.delete(`${place.map}/${key}`);
          changed = true;
          continue;
        }
        if (keyed && (!kept || supersedes(keyed, kept.record))) {
          l.kept.set(`${place.map}/${key}`, { raw: { p: (raw as SignedRecord).p, s: (raw as SignedRecord).s }, record: keyed });
          changed = true;
        } else if (kept && (!keyed || supersedes(kept.record, keyed)) && !sameRaw(raw, kept.raw)) {
          map.set(key, kept.raw); // someone removed or replaced a signed entry: put it back
        }
      }
    }
    if (changed) await this.save(l);
  }

  private keyOf(record: GroupRecord): string {
    switch (record.kind) {
      case 'listing':
        return record.review;
      case 'member':
      case 'join':
        return record.key;
      case 'invite':
        return record.id;
      case 'admission':
        return 'mode';
      case 'options':
        return 'options';
      case 'rekey':
        return String(record.epoch);
    }
  }

  /** The valid entries of a map, as kept (only verified entries are kept). */
  private entries<K extends GroupRecord['kind']>(l: Live, map: Place['map']): Map<string, RecordOf<K>> {
    const out = new Map<string, RecordOf<K>>();
    for (const [k, { record }] of l.kept) if (k.startsWith(`${map}/`)) out.set(k.slice(map.length + 1), record as RecordOf<K>);
    return out;
  }

  private admission(l: Live): Admission {
    return this.entries<'admission'>(l, 'admission').get('mode')?.mode ?? 'auto';
  }

  /** Signs a record, writes it to its map and keeps it. */
  private async put(l: Live, map: Place['map'], key: string, record: GroupRecord, signer: Identity = this.host.identity): Promise<void> {
    const raw = await signRecord(signer, record);
    l.kept.set(`${map}/${key}`, { raw, record });
    for (const place of PLACES.filter((p) => p.map === map)) this.doc(l, place.doc).getMap(map).set(key, raw);
    await this.save(l);
  }

  private async save(l: Live): Promise<void> {
    const kept = Object.fromEntries([...l.kept].map(([k, { raw }]) => [k, raw]));
    l.group = { ...l.group, kept };
    await this.host.db.groups.put(l.group);
  }

  // ── admission ──

  /** The proof a key's request must carry under the current secret (an HMAC, asked on every pass: kept). */
  private proofOf(l: Live, key: string): Promise<string> {
    const id = `${l.group.secret}|${key}`;
    let proof = this.proofs.get(id);
    if (!proof) {
      if (this.proofs.size > 5_000) this.proofs.clear();
      proof = joinProof(l.group.secret, l.group.id, key);
      this.proofs.set(id, proof);
    }
    return proof;
  }

  /** Join requests signed by their key, proving they hold the current secret, not yet decided. */
  private async requests(l: Live): Promise<Map<string, RecordOf<'join'>>> {
    const out = new Map<string, RecordOf<'join'>>();
    const roster = this.entries<'member'>(l, 'members');
    for (const [key, request] of this.entries<'join'>(l, 'join')) {
      if (roster.get(key)?.status === 'member' || key === l.group.chair) continue;
      if (request.proof !== (await this.proofOf(l, key))) continue;
      // Only someone who holds the invite they name: its token is the chair's and theirs alone.
      const token = l.group.tokens?.[request.invite];
      if (!token || request.ticket !== (await ticketOf(token, l.group.id, key))) continue;
      out.set(key, request);
    }
    return out;
  }

  private async held(l: Live): Promise<{ request: RecordOf<'join'>; held: Held }[]> {
    const roster = this.entries<'member'>(l, 'members');
    const names = [(await this.host.displayName()) || '', ...[...roster.values()].filter((m) => m.status === 'member').map((m) => m.name)].filter(Boolean);
    const out: { request: RecordOf<'join'>; held: Held | null }[] = [];
    // Requests are decided in turn, each admission counting against the next (names, invite uses).
    const ordered = [...(await this.requests(l)).values()].sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    for (const request of ordered) {
      const decision = decide(request, { mode: this.admission(l), now: this.host.now(), roster, invites: this.entries<'invite'>(l, 'invites'), names });
      out.push({ request, held: decision.admit ? null : decision.held });
      if (decision.admit) {
        names.push(request.name);
        roster.set(request.key, { kind: 'member', group: l.group.id, key: request.key, name: request.name, agree: request.agree, invite: request.invite, status: 'member', at: 0 });
      }
    }
    return out.filter((x): x is { request: RecordOf<'join'>; held: Held } => x.held !== null);
  }

  /** The chair's hub admits, in one pass, everyone the rules let in on their own. */
  private async admitWaiting(l: Live): Promise<void> {
    const held = new Set((await this.held(l)).map((h) => h.request.key));
    let admitted = 0;
    for (const request of (await this.requests(l)).values()) {
      if (held.has(request.key)) continue;
      await this.put(l, 'members', request.key, { kind: 'member', group: l.group.id, key: request.key, name: request.name, agree: request.agree, invite: request.invite, status: 'member', at: this.host.now() });
      admitted++;
    }
    if (admitted) await this.everyReview(l);
  }

  // ── a new secret ──

  /** A member finds the group's newer secret sealed to them, or learns they were removed. */
  private async followRekey(l: Live): Promise<void> {
    if (l.group.removed) return;
    const newer = [...this.entries<'rekey'>(l, 'rekey').values()].filter((r) => r.epoch > l.group.epoch).sort((a, b) => b.epoch - a.epoch);
    if (!newer.length) return;
    const mine = this.host.identity.agreement;
    for (const record of newer) {
      const sealed = record.sealed[mine.publicKey];
      if (!sealed) continue;
      const secret = await unseal(mine, record.ephemeral, sealed, `${l.group.id}:${record.epoch}`);
      if (secret && /^[A-Za-z0-9_-]{43}$/.test(secret)) return this.switchSecret(l, secret, record.epoch);
    }
    // Newer secrets exist and none is ours. Removed, the member list says so (see pass); still a
    // member, we wait: nothing here proves otherwise, and a new invite from the chair brings us back.
  }

  private async markRemoved(l: Live): Promise<void> {
    l.group = { ...l.group, removed: true };
    await this.save(l);
    this.host.network?.leaveGroup(l.group.id, FLUSH_MS);
  }

  /** Moves the group's rooms to a new secret: the old rooms stay only for handing it over. */
  private async switchSecret(l: Live, secret: string, epoch: number): Promise<void> {
    const replacedAt = [...(l.group.replacedAt ?? l.group.past.map(() => this.host.now())), this.host.now()];
    l.group = { ...l.group, past: [...l.group.past, l.group.secret], replacedAt, secret, epoch, pending: undefined };
    await this.save(l);
    this.host.network?.leaveGroup(l.group.id, 0, (slot) => slot.startsWith('handover@'));
    const reviews = await this.host.reviewsOf(l.group.id);
    for (const id of reviews) this.joined.delete(id);
    await this.joinRooms(l);
    for (const id of reviews) {
      const state = await this.host.settled(id);
      const entry = this.entries<'listing'>(l, 'reviews').get(id);
      if (entry) this.host.openListed(id, l.group, entry);
      else if (state.meta) this.host.openListed(id, l.group, { title: state.meta.title, url: state.meta.url, canonical: state.meta.canonical });
    }
  }
}
