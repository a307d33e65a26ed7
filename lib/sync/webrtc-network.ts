/**
 * Review rooms over y-webrtc, run by the hub: one room per review of a group, plus one
 * directory room per group where the chair lists the group's reviews. Several y-webrtc defaults
 * are wrong for us (see docs/sync.md):
 * - room names are hashes of the group secret and the review id; signaling is encrypted with a
 *   password derived from the secret; ICE servers come from the group (none by default);
 * - a peer counts as connected when its data channel is, not when it is announced;
 * - connections still unconnected after a few seconds are pruned (y-webrtc keeps them and then
 *   refuses newcomers once maxConns is reached);
 * - a peer with the wrong secret makes decryption fail: counted, never left unhandled;
 * - of each pair, one peer calls the other (signaling.ts), and a peer sends only its own changes
 *   (relay.ts).
 */
import * as v from 'valibot';
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { roomName, roomPassword, type Group } from '../groups/group';
import { verify } from '../identity';
import { fragmentPeer, type PeerProblem } from './fragments';
import { IncomingStates, type Receiving } from './state-transfer';
import { isReadablePeerMessage, PeerThrottle, syncStep1 } from './peer-message';
import { sendOnlyOwnChanges, type RelayRoom } from './relay';
import { drop, guardDeletes, handshakeStarted, registerRoom, takeOver, unregisterRoom, type PeerConn, type SignalingClient, type SignalingRoom } from './signaling';

/** Someone with the draft open right now, as their awareness state says. */
export interface Presence {
  /** Their public key: the state is signed by it (see presenceText), so no one can claim another's. */
  key: string;
  name: string;
}

/** A presence as sent: signed by its key, for one room and one Yjs client, so it cannot be replayed elsewhere. */
export interface SignedPresence extends Presence {
  sig: string;
}

/** What a presence signature covers. */
export function presenceText(room: string, client: number, key: string, name: string): string {
  return `margins-presence:${room}:${client}:${key}:${name}`;
}

export interface RoomStatus {
  /** Peers whose data channel is open. */
  peers: number;
  /** Handshakes under way (announced or signalled, not connected yet). */
  connecting: number;
  /** Handshakes given up because they did not connect in time, since the room was joined. */
  stalled: number;
  /** At least one signaling server is reachable. */
  signaling: boolean;
  /** Other people looking at this review now. */
  present: Presence[];
  /** What peers sent that was dropped. */
  problems: Record<PeerProblem, number>;
  /** The signaling server refused this room (too many rooms from this browser): it cannot sync. */
  refused: boolean;
  /** A state on its way in pieces (a newcomer's first copy of a big review): pieces so far, of how many. */
  receiving: Receiving | null;
}

// Awareness states come from peers: only this shape counts, anything else is ignored.
const AwarenessState = v.object({
  viewer: v.strictObject({
    key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{87}$/)),
    name: v.pipe(v.string(), v.maxLength(120)),
    sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,200}$/)),
  }),
});

function applyPresence(provider: WebrtcProvider, viewer: SignedPresence | null): void {
  const current = provider.awareness.getLocalState() as { viewer?: SignedPresence } | null;
  if (viewer ? current?.viewer?.sig === viewer.sig : !current?.viewer) return;
  provider.awareness.setLocalState(viewer ? { viewer } : {});
}

const NO_STATUS: RoomStatus = { peers: 0, connecting: 0, stalled: 0, signaling: false, present: [], problems: { oversized: 0, malformed: 0, flooded: 0 }, refused: false, receiving: null };

const PRUNE_AFTER_MS = 10_000;
/** A state in pieces with no piece for this long has stopped (the peer left): no longer shown as coming. */
const RECEIVING_STALE_MS = 30_000;
/**
 * y-webrtc sends an update only to the peers connected to its author, and exchanges state only
 * when two peers connect: where a pair of peers cannot connect (NAT without TURN, a stalled
 * handshake), their comments would reach each other only at the next reconnect. Every so often
 * each peer asks its connected peers for what it lacks (a sync step 1: its state vector, a few
 * bytes), so updates travel through whoever is connected to both.
 */
const RESYNC_MS = 2_000;

export class WebrtcNetwork {
  private providers = new Map<string, WebrtcProvider>();
  private listeners = new Set<(key: string, status: RoomStatus) => void>();
  private problems = new Map<string, Record<PeerProblem, number>>();
  /** Rooms a signaling server said it would not take (see the server's room limit). */
  private refused = new Set<string>();
  private stalled = new Map<string, number>();
  /** Per room, per peer: a state arriving in pieces (see state-transfer.ts). */
  private receiving = new Map<string, Map<string, { progress: Receiving; at: number }>>();
  /** Per room: whose state this profile takes, and whom it asks again (state-transfer.ts). */
  private incoming = new Map<string, IncomingStates>();
  /** Presence wanted per room key, kept for rooms not joined yet. */
  private presence = new Map<string, SignedPresence | null>();
  /** The join under way for a room (see join): a newer one supersedes it. */
  private reservations = new Map<string, symbol>();
  /** Presence states checked so far (by room, client and signature): only verified ones are shown. */
  private checkedPresence = new Map<string, boolean>();
  private timer: ReturnType<typeof setInterval>;
  decryptFailures = 0;
  /** Pieces of states peers announced to this profile, over all rooms (diagnostics and benchmarks). */
  piecesAnnounced = 0;

  constructor(private peerOpts: Record<string, unknown> = {}) {
    this.timer = setInterval(() => this.tick(), 1_000);
  }

  onStatus(listener: (key: string, status: RoomStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Joins the room for `key` (a review id, `dir` for the group's directory, `handover`) under the
   * group's current secret; `slot` tells apart rooms of one key under different secrets.
   */
  async join(group: Group, key: string, doc: Y.Doc, slot = key): Promise<void> {
    const id = `${group.id}/${slot}`;
    if (this.providers.has(id)) return;
    const reservation = Symbol(id);
    this.providers.set(id, null as unknown as WebrtcProvider); // reserve while hashing
    this.reservations.set(id, reservation);
    const name = await roomName(group.secret, key);
    const password = await roomPassword(group.secret);
    // Left meanwhile (the group's secret changed), perhaps joined again under the new secret:
    // only the join that made the reservation still standing goes on.
    if (this.reservations.get(id) !== reservation || this.providers.get(id) !== null) return;
    this.reservations.delete(id);
    const provider = new WebrtcProvider(name, doc, {
      signaling: group.signaling,
      password,
      filterBcConns: true,
      maxConns: 32,
      // One offer and one answer per connection, each with every candidate, instead of a message
      // per candidate: every peer of the room decrypts every signaling message (docs/sync.md).
      peerOpts: { ...this.peerOpts, trickle: false, config: { iceServers: group.iceServers } },
    });
    // Our handshake rules (signaling.ts), in place before the first message reaches the room.
    this.takeOverSignaling(provider);
    this.providers.set(id, provider);
    applyPresence(provider, this.presence.get(key) ?? null);
    // Patch each connection as y-webrtc creates it, before its first message (see fragments.ts).
    // The room exists once the password's key is derived.
    await (provider as unknown as { key: Promise<unknown> }).key;
    const room = (provider as unknown as { room: SignalingRoom | null }).room;
    if (!room) return;
    registerRoom(room);
    guardDeletes(room.webrtcConns);
    sendOnlyOwnChanges(room as unknown as RelayRoom);
    const set = room.webrtcConns.set.bind(room.webrtcConns);
    room.webrtcConns.set = (peerId: string, conn: PeerConn) => {
      const peer = conn.peer as unknown as (Parameters<typeof fragmentPeer>[0] & { __fragmented?: boolean }) | undefined;
      if (peer && !peer.__fragmented) {
        peer.__fragmented = true;
        const throttle = new PeerThrottle();
        fragmentPeer(peer, {
          report: (problem) => {
            const counts = this.problems.get(id) ?? { ...NO_STATUS.problems };
            counts[problem]++;
            this.problems.set(id, counts);
          },
          readable: isReadablePeerMessage,
          admit: (message) => throttle.admit(message),
          receiving: (progress) => {
            if (progress?.done === 0) this.piecesAnnounced += progress.total;
            const room = this.receiving.get(id) ?? new Map<string, { progress: Receiving; at: number }>();
            if (progress) room.set(peerId, { progress, at: Date.now() });
            else room.delete(peerId);
            this.receiving.set(id, room);
            this.incomingIn(id).progress(peerId, progress);
          },
          holdBack: () => this.incomingIn(id).holdBack(peerId),
        });
      }
      return set(peerId, conn);
    };
  }

  status(group: Group, key: string): RoomStatus {
    const id = `${group.id}/${key}`;
    const provider = this.providers.get(id);
    return provider ? this.statusOf(id, provider) : NO_STATUS;
  }

  /**
   * Says (or stops saying) that this profile has the review `key` open, to its room's peers. The
   * caller signs presenceText(key, doc.clientID, …) with the key it names.
   */
  setPresence(key: string, viewer: SignedPresence | null): void {
    this.presence.set(key, viewer);
    for (const [id, provider] of this.providers) if (provider && id.endsWith(`/${key}`)) applyPresence(provider, viewer);
  }

  private roomRefused(topic: string): void {
    for (const [id, provider] of this.providers) {
      if ((provider as unknown as { room: SignalingRoom | null } | null)?.room?.name === topic) this.refused.add(id);
    }
  }

  private takeOverSignaling(provider: WebrtcProvider): void {
    for (const client of (provider as unknown as { signalingConns: SignalingClient[] }).signalingConns) {
      takeOver(client, { decryptFailed: () => this.decryptFailures++, refused: (topic) => this.roomRefused(topic) });
    }
  }

  /**
   * Leaves every room of a group (its secret changed, or this profile was removed). Rooms can be
   * joined again at once, under a new secret; the old connections close `afterMs` later, so that
   * what was just written (a removal) still reaches the peers that were there. Rooms whose slot
   * `keep` accepts stay (the handover rooms, which outlive a secret).
   */
  leaveGroup(groupId: string, afterMs = 0, keep: (slot: string) => boolean = () => false): void {
    const leaving: WebrtcProvider[] = [];
    for (const [id, provider] of this.providers) {
      if (!id.startsWith(`${groupId}/`) || keep(id.slice(groupId.length + 1))) continue;
      this.providers.delete(id);
      this.reservations.delete(id);
      this.problems.delete(id);
      this.refused.delete(id);
      this.stalled.delete(id);
      this.receiving.delete(id);
      this.incoming.delete(id);
      if (provider) leaving.push(provider);
    }
    const close = () => {
      for (const provider of leaving) {
        unregisterRoom(provider.roomName);
        provider.destroy();
      }
    };
    if (afterMs > 0) setTimeout(close, afterMs);
    else close();
  }

  destroy(): void {
    clearInterval(this.timer);
    for (const p of this.providers.values()) {
      if (!p) continue;
      unregisterRoom(p.roomName);
      p.destroy();
    }
    this.providers.clear();
  }

  private lastResync = 0;

  private tick(): void {
    const now = Date.now();
    const resync = now - this.lastResync >= RESYNC_MS;
    if (resync) this.lastResync = now;
    for (const [id, provider] of this.providers) {
      if (!provider) continue;
      const room = (provider as unknown as { room: SignalingRoom | null }).room;
      if (room) {
        for (const [peerId, conn] of room.webrtcConns) {
          // A handshake that stalled: give it up; y-webrtc announces again once it has closed,
          // and whichever of the pair calls (signaling.ts) starts a fresh one.
          if (!conn.connected && now - (handshakeStarted(conn) ?? now) > PRUNE_AFTER_MS) {
            drop(room, peerId, conn);
            this.stalled.set(id, (this.stalled.get(id) ?? 0) + 1);
          }
        }
      }
      if (room && resync) {
        const ask = syncStep1(provider.doc);
        const receiving = this.receiving.get(id);
        const incoming = this.incomingIn(id);
        incoming.retain((peer) => room.webrtcConns.has(peer));
        for (const [peerId, conn] of room.webrtcConns) {
          // Not a peer whose state is still coming in pieces: asked now, it would send again all
          // that has not arrived yet. Nor, for a while, one told its state is not needed.
          if (!conn.connected || receiving?.has(peerId) || !incoming.mayAsk(peerId)) continue;
          try {
            conn.peer?.send(ask);
          } catch {
            // the channel closed meanwhile: the next tick prunes or reconnects it
          }
        }
      }
      for (const l of this.listeners) l(id.slice(id.indexOf('/') + 1), this.statusOf(id, provider));
    }
  }

  private incomingIn(id: string): IncomingStates {
    let states = this.incoming.get(id);
    if (!states) this.incoming.set(id, (states = new IncomingStates()));
    return states;
  }

  private statusOf(id: string, provider: WebrtcProvider): RoomStatus {
    const room = (provider as unknown as { room: SignalingRoom | null }).room;
    const conns = room ? [...room.webrtcConns.values()] : [];
    const peers = conns.filter((c) => c.connected).length;
    const signaling = (provider as unknown as { signalingConns: { connected: boolean }[] }).signalingConns.some((c) => c.connected);
    const present = new Map<string, Presence>();
    const key = id.slice(id.indexOf('/') + 1);
    for (const [client, state] of provider.awareness.getStates()) {
      if (client === provider.awareness.clientID) continue;
      const parsed = v.safeParse(AwarenessState, state);
      if (!parsed.success) continue;
      const { key: who, name, sig } = parsed.output.viewer;
      // Verified off this path (signatures are async); shown from the next status on.
      const check = `${key}|${client}|${who}|${name}|${sig}`;
      const verdict = this.checkedPresence.get(check);
      if (verdict === undefined) {
        this.checkedPresence.set(check, false);
        if (this.checkedPresence.size > 10_000) this.checkedPresence.clear();
        void verify(who, presenceText(key, client, who, name), sig).then((ok) => this.checkedPresence.set(check, ok));
      } else if (verdict) present.set(who, { key: who, name });
    }
    // A room with a peer syncs, whatever a server said before (another took it, or the limit rose).
    if (peers > 0) this.refused.delete(id);
    const problems = { ...(this.problems.get(id) ?? NO_STATUS.problems) };
    return { peers, connecting: conns.length - peers, stalled: this.stalled.get(id) ?? 0, signaling, present: [...present.values()], problems, refused: this.refused.has(id), receiving: this.receivingIn(id) };
  }

  /** Pieces of states arriving in a room, summed over its peers; one that stopped coming for a while is left out. */
  private receivingIn(id: string): Receiving | null {
    const now = Date.now();
    const sum: Receiving = { done: 0, total: 0 };
    for (const [peer, { progress, at }] of this.receiving.get(id) ?? []) {
      if (now - at > RECEIVING_STALE_MS) {
        this.receiving.get(id)!.delete(peer);
        continue;
      }
      sum.done += progress.done;
      sum.total += progress.total;
    }
    return sum.total ? sum : null;
  }
}
