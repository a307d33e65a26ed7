/**
 * Who calls whom in a review room. y-webrtc's own signaling handler lets both peers of a pair call
 * each other when they announce at about the same time; its "glare" rule then has one side accept
 * an offer on a connection that already made its own, which fails in some WebRTC stacks and
 * leaves the other side waiting for an answer that never comes. Measured with ten Node peers,
 * that stalled handshakes until they were pruned, and the old recovery (dropping every connection
 * of the room to announce again) cascaded through the whole room (see docs/sync.md).
 *
 * Here the rule is fixed: of two peers, the one with the smaller peer id calls. A peer that hears
 * an announcement from a smaller id answers with an announcement addressed to it, so the smaller
 * one calls. An offer for a connection that already exists is a new call (the other side gave the
 * old one up) and replaces it. Answers and candidates for a connection that is gone are dropped.
 *
 * The messages keep y-webrtc's wire format (AES-GCM under the room key, lib0 encoding), so this
 * handler replaces y-webrtc's on each signaling connection and stays compatible with it.
 */
import * as buffer from 'lib0/buffer';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as v from 'valibot';
import { WebrtcConn } from 'y-webrtc';

/** The parts of y-webrtc's room and signaling connection this module works with. */
export interface SignalingRoom {
  peerId: string;
  name: string;
  key: CryptoKey | null;
  webrtcConns: Map<string, PeerConn>;
  bcConns: Set<string>;
  provider: { maxConns: number };
}
export interface PeerConn {
  connected: boolean;
  closed: boolean;
  destroy(): void;
  peer: { initiator: boolean; signal(data: unknown): void; send(data: Uint8Array): void };
}
export interface SignalingClient {
  connected: boolean;
  send(message: unknown): void;
  _observers: Map<string, Set<(...args: unknown[]) => void>>;
}

const PeerId = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const SignalMessage = v.variant('type', [
  v.object({ type: v.literal('announce'), from: PeerId, to: v.optional(PeerId) }),
  v.object({ type: v.literal('signal'), from: PeerId, to: PeerId, signal: v.looseObject({}) }),
]);
export type SignalMessage = v.InferOutput<typeof SignalMessage>;

/** A handshake that has not connected within this long is given up when the other side calls again. */
export const STALE_HANDSHAKE_MS = 5_000;

/** Rooms this realm has joined, by their name on the signaling server. */
const rooms = new Map<string, SignalingRoom>();
const started = new WeakMap<PeerConn, number>();
const takenOver = new WeakSet<SignalingClient>();

export interface SignalingEvents {
  /** A message in one of our rooms that does not decrypt under its key (another secret). */
  decryptFailed(): void;
  /** The server would not take this room (by its name there): too many rooms from this browser. */
  refused?(topic: string): void;
}

export function registerRoom(room: SignalingRoom): void {
  rooms.set(room.name, room);
}
export function unregisterRoom(name: string): void {
  rooms.delete(name);
}

/** Replaces y-webrtc's message handler on a signaling connection with ours (once per connection). */
export function takeOver(client: SignalingClient, events: SignalingEvents): void {
  if (takenOver.has(client)) return;
  takenOver.add(client);
  const handlers = new Set<(...args: unknown[]) => void>([(m) => void onMessage(client, m, events)]);
  client._observers.set('message', handlers);
}

async function onMessage(client: SignalingClient, raw: unknown, events: SignalingEvents): Promise<void> {
  const m = raw as { type?: unknown; topic?: unknown; data?: unknown };
  if (m?.type === 'refused' && typeof m.topic === 'string' && rooms.has(m.topic)) return events.refused?.(m.topic);
  if (m?.type !== 'publish' || typeof m.topic !== 'string' || typeof m.data !== 'string') return;
  const room = rooms.get(m.topic);
  if (!room?.key) return;
  let decrypted: unknown;
  try {
    decrypted = await decryptJson(buffer.fromBase64(m.data), room.key);
  } catch {
    events.decryptFailed();
    return;
  }
  const parsed = v.safeParse(SignalMessage, decrypted);
  if (parsed.success) handle(client, room, parsed.output);
}

/** What to do about one signaling message: decided from the message and the connection we have. */
export type Decision =
  | { act: 'ignore' }
  /** Start a call (we have the smaller id). */
  | { act: 'call'; dropExisting: boolean }
  /** Ask them to call us: an announcement addressed to them. */
  | { act: 'ask'; dropExisting: boolean }
  /** Answer their offer on a new connection. */
  | { act: 'answer'; dropExisting: boolean }
  /** Hand an answer or a candidate to the connection it belongs to. */
  | { act: 'signal' };

export interface ExistingConn {
  connected: boolean;
  closed: boolean;
  initiator: boolean;
  /** Milliseconds since its handshake started. */
  age: number;
}

export function decide(me: string, message: SignalMessage, existing: ExistingConn | undefined, full: boolean): Decision {
  if (message.from === me || (message.to !== undefined && message.to !== me)) return { act: 'ignore' };
  const live = existing && !existing.closed ? existing : undefined;
  if (message.type === 'announce') {
    // They announce on joining and when a connection closes: a connection we still have to them
    // is stale, unless it is up or its handshake has only just begun.
    if (live && (live.connected || live.age < STALE_HANDSHAKE_MS)) return { act: 'ignore' };
    if (full && !live) return { act: 'ignore' };
    return me < message.from ? { act: 'call', dropExisting: Boolean(live) } : { act: 'ask', dropExisting: Boolean(live) };
  }
  if ((message.signal as { type?: unknown }).type === 'offer') {
    // Both called (an older client, or announcements that crossed): the smaller id's call stands.
    if (live?.initiator && me < message.from) return { act: 'ignore' };
    if (full && !live) return { act: 'ignore' };
    // Otherwise an offer is a new call: the other side has given up any earlier one.
    return { act: 'answer', dropExisting: Boolean(live) };
  }
  return live ? { act: 'signal' } : { act: 'ignore' }; // an answer or candidate for a call given up
}

function handle(client: SignalingClient, room: SignalingRoom, message: SignalMessage): void {
  if (room.bcConns.has(message.from)) return;
  const conns = room.webrtcConns;
  const conn = conns.get(message.from);
  const existing = conn && { connected: conn.connected, closed: conn.closed, initiator: conn.peer.initiator, age: Date.now() - (started.get(conn) ?? 0) };
  const decision = decide(room.peerId, message, existing, conns.size >= room.provider.maxConns);
  if (decision.act === 'ignore') return;
  if (decision.act !== 'signal' && decision.dropExisting && conn) drop(room, message.from, conn);
  switch (decision.act) {
    case 'call':
      open(client, room, message.from, true);
      return;
    case 'ask':
      void publish(client, room, { type: 'announce', from: room.peerId, to: message.from });
      return;
    case 'answer':
      signal(open(client, room, message.from, false), message);
      return;
    case 'signal':
      signal(conn!, message);
  }
}

function signal(conn: PeerConn, message: SignalMessage): void {
  if (message.type !== 'signal') return;
  try {
    conn.peer.signal(message.signal);
  } catch {
    // simple-peer refuses signals after destroy: the connection is closing already
  }
}

function open(client: SignalingClient, room: SignalingRoom, remote: string, initiator: boolean): PeerConn {
  const conn = new WebrtcConn(client as never, initiator, remote, room as never) as unknown as PeerConn;
  started.set(conn, Date.now());
  room.webrtcConns.set(remote, conn);
  return conn;
}

/** Gives up a connection; y-webrtc announces the room again once it has closed. */
export function drop(room: SignalingRoom, remote: string, conn: PeerConn): void {
  conn.closed = true;
  if (room.webrtcConns.get(remote) === conn) room.webrtcConns.delete(remote);
  conn.destroy();
}

/**
 * y-webrtc's close handler deletes whatever connection is filed under the peer's id, which after
 * a new call is the new connection: only a closed one may be deleted.
 */
export function guardDeletes(conns: Map<string, PeerConn>): void {
  const remove = conns.delete.bind(conns);
  conns.delete = (remote: string) => {
    const conn = conns.get(remote);
    return conn && !conn.closed ? false : remove(remote);
  };
}

/** When this room started a handshake with that connection (for pruning). */
export function handshakeStarted(conn: PeerConn): number | undefined {
  return started.get(conn);
}

async function publish(client: SignalingClient, room: SignalingRoom, data: SignalMessage): Promise<void> {
  if (!room.key || !client.connected) return;
  const sealed = await encryptJson(data, room.key);
  if (client.connected) client.send({ type: 'publish', topic: room.name, data: buffer.toBase64(sealed) });
}

// y-webrtc's envelope: varString 'AES-GCM', varUint8Array iv, varUint8Array ciphertext; the
// plaintext is lib0's `writeAny` encoding of the message.
async function encryptJson(data: unknown, key: CryptoKey): Promise<Uint8Array> {
  const plain = encoding.createEncoder();
  encoding.writeAny(plain, data as never);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const cipher = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, encoding.toUint8Array(plain)));
  const out = encoding.createEncoder();
  encoding.writeVarString(out, 'AES-GCM');
  encoding.writeVarUint8Array(out, iv);
  encoding.writeVarUint8Array(out, cipher);
  return encoding.toUint8Array(out);
}

async function decryptJson(data: Uint8Array, key: CryptoKey): Promise<unknown> {
  const decoder = decoding.createDecoder(data);
  if (decoding.readVarString(decoder) !== 'AES-GCM') throw new Error('unknown encryption');
  const iv = decoding.readVarUint8Array(decoder);
  const cipher = decoding.readVarUint8Array(decoder);
  const plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(iv) }, key, new Uint8Array(cipher)));
  return decoding.readAny(decoding.createDecoder(plain));
}
