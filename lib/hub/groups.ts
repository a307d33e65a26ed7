/**
 * The hub's side of groups: their secrets, their directory rooms (where the chair lists the
 * group's reviews, so members find a review by its draft's URL), their review rooms, and
 * admitting members (the chair's hub grants the member role to a key that proves it holds the
 * group secret). All of it is optional: without a network the hub works alone.
 */
import * as v from 'valibot';
import * as Y from 'yjs';
import { checkJoinProof, joinProof, newSecret, type Group, type IceServer } from '../groups/group';
import { makeInvite, readInvite } from '../groups/invite';
import { fingerprint, keyIdOf, type Identity } from '../identity';
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
const JoinRequest = v.strictObject({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(120)), proof: v.pipe(v.string(), v.maxLength(100)) });

export interface GroupHost {
  db: MarginsDB;
  identity: Identity;
  network: WebrtcNetwork | null;
  /** Keep a doc's updates durably, under this storage key. */
  persist(doc: Y.Doc, key: string): void;
  /** Open a review (and so join its room) that a directory lists. */
  openListed(reviewId: string, group: Group, entry: v.InferOutput<typeof DirectoryEntry>): void;
  /** Append member grants signed by this profile, all in one write. */
  grant(reviewId: string, members: { subject: string; name: string }[]): Promise<void>;
  displayName(): Promise<string>;
  peers(reviewId: string, status: RoomStatus): void;
}

export class Groups {
  private groups = new Map<string, Group>();
  private directories = new Map<string, Y.Doc>();
  private joined = new Set<string>();
  private admitting = new Set<string>();

  constructor(private host: GroupHost) {
    host.network?.onStatus((key, status) => {
      if (key !== 'dir') host.peers(key, status);
    });
  }

  async start(): Promise<void> {
    for (const group of await this.host.db.groups.toArray()) await this.activate(group);
  }

  get(id: string | undefined): Group | undefined {
    return id ? this.groups.get(id) : undefined;
  }

  /** Whether this profile belongs to the review's group, so that its chair will admit it. */
  awaitingAdmission(state: ReviewState): boolean {
    return !!this.get(state.meta?.group);
  }

  /** Groups whose reviews this profile may start (it is their chair). */
  chaired(): Group[] {
    return [...this.groups.values()].filter((g) => g.chair === this.host.identity.publicKey);
  }

  async list() {
    return Promise.all(
      [...this.groups.values()].map(async (g) => ({
        id: g.id,
        name: g.name,
        chair: g.chair === this.host.identity.publicKey,
        fingerprint: fingerprint(await keyIdOf(g.chair)),
        signaling: g.signaling,
      })),
    );
  }

  async create(name: string, signaling: string[], iceServers: IceServer[]): Promise<{ id: string; invite: string }> {
    const secret = newSecret();
    const draft = { name: name.trim(), secret, chair: this.host.identity.publicKey, signaling, iceServers };
    const invite = await makeInvite(draft, this.host.identity);
    const { group } = await readInvite(invite); // the same validation a member's browser applies
    await this.host.db.groups.put(group);
    await this.activate(group);
    return { id: group.id, invite };
  }

  async invite(id: string): Promise<string> {
    const group = this.groups.get(id);
    if (!group) throw new UserError('errorNoGroup', 'No such group.');
    if (group.chair !== this.host.identity.publicKey) throw new UserError('errorChairInvites', 'Only the chair can invite.');
    return makeInvite(group, this.host.identity);
  }

  async join(code: string): Promise<{ id: string }> {
    const { group } = await readInvite(code);
    const existing = this.groups.get(group.id);
    if (!existing) {
      await this.host.db.groups.put(group);
      await this.activate(group);
    }
    return { id: group.id };
  }

  /** The chair lists a new review of the group in its directory. */
  listReview(groupId: string, reviewId: string, entry: v.InferOutput<typeof DirectoryEntry>): void {
    this.directories.get(groupId)?.getMap<string>('reviews').set(reviewId, JSON.stringify(entry));
  }

  /**
   * Called with every state of a review: joins its room, asks to be admitted when this profile is
   * not a member yet, and — for the chair — admits those who proved they hold the secret.
   */
  async review(doc: Y.Doc, state: ReviewState, groupId?: string): Promise<void> {
    const group = this.get(state.meta?.group ?? groupId);
    if (!group) return;
    if (!this.joined.has(state.id)) {
      this.joined.add(state.id);
      await this.host.network?.join(group, state.id, doc);
    }
    const me = this.host.identity.publicKey;
    const requests = doc.getMap<string>('join');
    if (state.meta && (state.members[me]?.role ?? 'none') === 'none' && !requests.has(me)) {
      const name = await this.host.displayName();
      requests.set(me, JSON.stringify({ name: name || 'Reviewer', proof: await joinProof(group.secret, state.id, me) }));
    }
    if (state.members[me]?.role === 'chair') {
      // Everyone who asked since the last look is admitted in one write: a dozen members who
      // open the review together wait for one disk commit, not a dozen in a row.
      const admit: { subject: string; name: string }[] = [];
      for (const [key, raw] of requests) {
        if ((state.members[key]?.role ?? 'none') !== 'none' || this.admitting.has(`${state.id}/${key}`)) continue;
        let request: v.InferOutput<typeof JoinRequest>;
        try {
          request = v.parse(JoinRequest, JSON.parse(raw));
        } catch {
          continue; // malformed: whoever wrote it can try again
        }
        if (!/^[A-Za-z0-9_-]{40,200}$/.test(key) || !(await checkJoinProof(group.secret, state.id, key, request.proof))) continue;
        if (this.admitting.has(`${state.id}/${key}`)) continue; // admitted by a look that ran meanwhile
        this.admitting.add(`${state.id}/${key}`);
        admit.push({ subject: key, name: request.name });
      }
      if (admit.length) await this.host.grant(state.id, admit).catch(() => admit.forEach(({ subject }) => this.admitting.delete(`${state.id}/${subject}`)));
    }
  }

  private async activate(group: Group): Promise<void> {
    this.groups.set(group.id, group);
    const key = `dir.${group.id}`;
    const doc = new Y.Doc();
    const stored = await loadReview(this.host.db, key);
    if (stored) Y.applyUpdate(doc, stored, 'storage');
    this.directories.set(group.id, doc);
    this.host.persist(doc, key);
    const chairKeyId = await keyIdOf(group.chair);
    const openAll = () => {
      for (const [reviewId, raw] of doc.getMap<string>('reviews')) {
        // Only the chair starts a group's reviews: other entries are ignored, whoever wrote them.
        if (creatorKeyIdOf(reviewId) !== chairKeyId) continue;
        try {
          this.host.openListed(reviewId, group, v.parse(DirectoryEntry, JSON.parse(raw)));
        } catch {
          // a malformed entry: skip it
        }
      }
    };
    doc.getMap('reviews').observe(openAll);
    openAll();
    await this.host.network?.join(group, 'dir', doc);
  }
}

