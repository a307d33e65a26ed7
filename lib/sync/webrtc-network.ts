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
import { WebrtcProvider } from 'y-webrtc';
import type * as Y from 'yjs';
import { roomName, roomPassword, type Group } from '../groups/group';

export interface RoomStatus {
  /** Peers whose data channel is open. */
  peers: number;
  /** At least one signaling server is reachable. */
  signaling: boolean;
}

interface Conn {
  connected: boolean;
  destroy(): void;
}
interface RoomInternals {
  webrtcConns: Map<string, Conn>;
}

const PRUNE_AFTER_MS = 8_000;

export class WebrtcNetwork {
  private providers = new Map<string, WebrtcProvider>();
  private firstSeen = new WeakMap<Conn, number>();
  private listeners = new Set<(key: string, status: RoomStatus) => void>();
  private timer: ReturnType<typeof setInterval>;
  decryptFailures = 0;

  constructor(private peerOpts: Record<string, unknown> = {}) {
    this.timer = setInterval(() => this.tick(), 1_000);
    // y-webrtc decrypts signaling messages without catching: a peer with another secret makes
    // WebCrypto reject. Those rejections are expected and counted, not reported as errors.
    globalThis.addEventListener?.('unhandledrejection', (event: PromiseRejectionEvent) => {
      if ((event.reason as Error)?.name === 'OperationError') {
        event.preventDefault();
        this.decryptFailures++;
      }
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
  }

  status(group: Group, key: string): RoomStatus {
    const provider = this.providers.get(`${group.id}/${key}`);
    return provider ? statusOf(provider) : { peers: 0, signaling: false };
  }

  destroy(): void {
    clearInterval(this.timer);
    for (const p of this.providers.values()) p?.destroy();
    this.providers.clear();
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, provider] of this.providers) {
      if (!provider) continue;
      const room = (provider as unknown as { room: RoomInternals | null }).room;
      if (room) {
        for (const [peerId, conn] of room.webrtcConns) {
          if (conn.connected) continue;
          const seen = this.firstSeen.get(conn) ?? now;
          this.firstSeen.set(conn, seen);
          if (now - seen > PRUNE_AFTER_MS) {
            conn.destroy();
            room.webrtcConns.delete(peerId);
          }
        }
      }
      for (const l of this.listeners) l(id.slice(id.indexOf('/') + 1), statusOf(provider));
    }
  }
}

function statusOf(provider: WebrtcProvider): RoomStatus {
  const room = (provider as unknown as { room: RoomInternals | null }).room;
  const peers = room ? [...room.webrtcConns.values()].filter((c) => c.connected).length : 0;
  const signaling = (provider as unknown as { signalingConns: { connected: boolean }[] }).signalingConns.some((c) => c.connected);
  return { peers, signaling };
}
