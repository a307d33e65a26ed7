/**
 * Review rooms over y-webrtc, run by the hub: one room per review of a group, plus one
 * directory room per group where the chair lists the group's reviews. Several y-webrtc defaults
 * are wrong for us (see docs/sync.md):
 * - room names are hashes of the group secret and the review id; signaling is encrypted with a
 *   password derived from the secret; ICE servers come from the group (none by default);
 * - a peer counts as connected when its data channel is, not when it is announced;
 * - connections still unconnected after a few seconds are pruned (y-webrtc keeps them and then
 *   refuses newcomers once maxConns is reached);
 * - a peer with the wrong secret makes decryption fail: counted, never left unhandled.
 */
import * as v from 'valibot';
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { roomName, roomPassword, type Group } from '../groups/group';
import { fragmentPeer, type PeerProblem } from './fragments';
import { isReadablePeerMessage, syncStep1 } from './peer-message';

/** Someone with the draft open right now, as their awareness state says (unsigned: advisory). */
export interface Presence {
  /** Their public key, as they claim it; the sidebar trusts the name only for a known member. */
  key: string;
  name: string;
}

export interface RoomStatus {
  /** Peers whose data channel is open. */
  peers: number;
  /** At least one signaling server is reachable. */
  signaling: boolean;
  /** Other people looking at this review now. */
  present: Presence[];
  /** What peers sent that was dropped. */
  problems: Record<PeerProblem, number>;
}

// Awareness states come from peers: only this shape counts, anything else is ignored.
const AwarenessState = v.object({
  viewer: v.strictObject({
    key: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{40,200}$/)),
    name: v.pipe(v.string(), v.maxLength(120)),
  }),
});

function applyPresence(provider: WebrtcProvider, viewer: Presence | null): void {
  const current = provider.awareness.getLocalState() as { viewer?: Presence } | null;
  if (viewer ? current?.viewer?.key === viewer.key && current.viewer.name === viewer.name : !current?.viewer) return;
  provider.awareness.setLocalState(viewer ? { viewer } : {});
}

const NO_STATUS: RoomStatus = { peers: 0, signaling: false, present: [], problems: { oversized: 0, malformed: 0 } };

interface Conn {
  connected: boolean;
  destroy(): void;
  peer?: { send(data: Uint8Array): void };
}
interface RoomInternals {
  webrtcConns: Map<string, Conn>;
}

const PRUNE_AFTER_MS = 15_000;
/**
 * y-webrtc sends an update only to the peers connected to its author, and exchanges state only
 * when two peers connect: where a pair of peers cannot connect (NAT without TURN, a stalled
 * handshake), their comments would reach each other only at the next reconnect. Every so often
 * each peer asks its connected peers for what it lacks (a sync step 1: its state vector, a few
 * bytes), so updates travel through whoever is connected to both.
 */
const RESYNC_MS = 5_000;

/**
 * Rejections y-webrtc leaves unhandled in its signaling handler, which we expect: a peer with
 * another secret (decryption fails), and an answer arriving for a connection that was closed
 * meanwhile (it reads `glareToken` of a connection it no longer has).
 */
export function isExpectedSignalingError(reason: unknown): 'decrypt' | 'stale-answer' | null {
  const e = reason as Error | undefined;
  if (e?.name === 'OperationError') return 'decrypt';
  if (e instanceof TypeError && /glareToken/.test(e.message)) return 'stale-answer';
  return null;
}

export class WebrtcNetwork {
  private providers = new Map<string, WebrtcProvider>();
  private firstSeen = new WeakMap<Conn, number>();
  private listeners = new Set<(key: string, status: RoomStatus) => void>();
  private problems = new Map<string, Record<PeerProblem, number>>();
  /** Presence wanted per room key, kept for rooms not joined yet. */
  private presence = new Map<string, Presence | null>();
  private timer: ReturnType<typeof setInterval>;
  decryptFailures = 0;

  constructor(private peerOpts: Record<string, unknown> = {}) {
    this.timer = setInterval(() => this.tick(), 1_000);
    // y-webrtc decrypts signaling messages without catching: a peer with another secret makes
    // WebCrypto reject. Those rejections are expected and counted, not reported as errors.
    globalThis.addEventListener?.('unhandledrejection', (event: PromiseRejectionEvent) => {
      const kind = isExpectedSignalingError(event.reason);
      if (kind) event.preventDefault();
      if (kind === 'decrypt') this.decryptFailures++;
    });
  }

  onStatus(listener: (key: string, status: RoomStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Joins the room for `key` (a review id, or `dir` for the group's directory). */
  async join(group: Group, key: string, doc: Y.Doc): Promise<void> {
    const id = `${group.id}/${key}`;
    if (this.providers.has(id)) return;
    this.providers.set(id, null as unknown as WebrtcProvider); // reserve while hashing
    const provider = new WebrtcProvider(await roomName(group.secret, key), doc, {
      signaling: group.signaling,
      password: await roomPassword(group.secret),
      filterBcConns: true,
      maxConns: 32,
      peerOpts: { ...this.peerOpts, config: { iceServers: group.iceServers } },
    });
    this.providers.set(id, provider);
    applyPresence(provider, this.presence.get(key) ?? null);
    // Patch each connection as y-webrtc creates it, before its first message (see fragments.ts).
    // The room exists once the password's key is derived.
    await (provider as unknown as { key: Promise<unknown> }).key;
    const room = (provider as unknown as { room: RoomInternals | null }).room;
    if (!room) return;
    const set = room.webrtcConns.set.bind(room.webrtcConns);
    room.webrtcConns.set = (peerId: string, conn: Conn) => {
      const peer = conn.peer as (Parameters<typeof fragmentPeer>[0] & { __fragmented?: boolean }) | undefined;
      if (peer && !peer.__fragmented) {
        peer.__fragmented = true;
        fragmentPeer(peer, (problem) => {
          const counts = this.problems.get(id) ?? { oversized: 0, malformed: 0 };
          counts[problem]++;
          this.problems.set(id, counts);
        }, isReadablePeerMessage);
      }
      return set(peerId, conn);
    };
  }

  status(group: Group, key: string): RoomStatus {
    const id = `${group.id}/${key}`;
    const provider = this.providers.get(id);
    return provider ? this.statusOf(id, provider) : NO_STATUS;
  }

  /** Says (or stops saying) that this profile has the review `key` open, to its room's peers. */
  setPresence(key: string, viewer: Presence | null): void {
    this.presence.set(key, viewer);
    for (const [id, provider] of this.providers) if (provider && id.endsWith(`/${key}`)) applyPresence(provider, viewer);
  }

  destroy(): void {
    clearInterval(this.timer);
    for (const p of this.providers.values()) p?.destroy();
    this.providers.clear();
  }

  private lastResync = 0;

  private tick(): void {
    const now = Date.now();
    const resync = now - this.lastResync >= RESYNC_MS;
    if (resync) this.lastResync = now;
    for (const [id, provider] of this.providers) {
      if (!provider) continue;
      const room = (provider as unknown as { room: RoomInternals | null }).room;
      let pruned = false;
      if (room) {
        for (const [peerId, conn] of room.webrtcConns) {
          if (conn.connected) continue;
          const seen = this.firstSeen.get(conn) ?? now;
          this.firstSeen.set(conn, seen);
          if (now - seen > PRUNE_AFTER_MS) {
            conn.destroy();
            room.webrtcConns.delete(peerId);
            pruned = true;
          }
        }
      }
      if (room && resync) {
        const ask = syncStep1(provider.doc);
        for (const conn of room.webrtcConns.values()) {
          if (!conn.connected) continue;
          try {
            conn.peer?.send(ask);
          } catch {
            // the channel closed meanwhile: the next tick prunes or reconnects it
          }
        }
      }
      // y-webrtc announces a peer only when it connects to signaling: after pruning a handshake
      // that stalled, announce again so that a peer still there gets a fresh try.
      if (pruned) {
        provider.disconnect();
        provider.connect();
      }
      for (const l of this.listeners) l(id.slice(id.indexOf('/') + 1), this.statusOf(id, provider));
    }
  }

  private statusOf(id: string, provider: WebrtcProvider): RoomStatus {
    const room = (provider as unknown as { room: RoomInternals | null }).room;
    const peers = room ? [...room.webrtcConns.values()].filter((c) => c.connected).length : 0;
    const signaling = (provider as unknown as { signalingConns: { connected: boolean }[] }).signalingConns.some((c) => c.connected);
    const present = new Map<string, Presence>();
    for (const [client, state] of provider.awareness.getStates()) {
      if (client === provider.awareness.clientID) continue;
      const parsed = v.safeParse(AwarenessState, state);
      if (parsed.success) present.set(parsed.output.viewer.key, parsed.output.viewer);
    }
    return { peers, signaling, present: [...present.values()], problems: { ...(this.problems.get(id) ?? NO_STATUS.problems) } };
  }
}
