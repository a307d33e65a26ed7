/**
 * Large messages over WebRTC data channels. y-webrtc sends a review's whole state to a newcomer
 * in one message; data channels carry at most 256 KiB (less in some browsers), so a review of a
 * thousand comments never arrived. Messages over CHUNK bytes are split into fragments, which the
 * other side reassembles before y-webrtc sees them. y-protocols messages start with a small varint
 * (0–3), so a fragment is told apart by its first byte, 0xFF; small messages are sent unchanged.
 */
import { isStateRequest } from './peer-message';
import { isNotNeeded, notNeededFrame, StateReceiver, StateSender, type Receiving } from './state-transfer';

export const CHUNK = 16 * 1024;
const MARK = 0xff;
const HEADER = 9; // mark, message id (4), index (2), count (2)
/**
 * The largest message accepted from a peer. A whole review no longer comes as one message (a
 * state over 256 KiB comes in pieces, state-transfer.ts), so this bounds what one message may be,
 * not how big a review may grow. Reassembly refuses more (a hostile peer could claim any count and
 * fill memory).
 */
export const MAX_INCOMING = 16 * 1024 * 1024;

export function fragment(message: Uint8Array, id: number): Uint8Array[] {
  if (message.length <= CHUNK) return [message];
  const count = Math.ceil(message.length / CHUNK);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const part = message.subarray(i * CHUNK, (i + 1) * CHUNK);
    const f = new Uint8Array(HEADER + part.length);
    const view = new DataView(f.buffer);
    f[0] = MARK;
    view.setUint32(1, id);
    view.setUint16(5, i);
    view.setUint16(7, count);
    f.set(part, HEADER);
    out.push(f);
  }
  return out;
}

/** Feeds received data; returns a whole message when one is complete, else null. */
export class Reassembler {
  constructor(
    private limit = MAX_INCOMING,
    private onOversized: () => void = () => {},
  ) {}

  private pending = new Map<number, { parts: (Uint8Array | undefined)[]; received: number; bytes: number }>();
  /** Bytes held over every message still being assembled: bounded by the limit, not by 16 × the limit. */
  private held = 0;

  private forget(id: number): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.held -= entry.bytes;
    this.pending.delete(id);
  }

  accept(data: Uint8Array): Uint8Array | null {
    if (data[0] !== MARK || data.length < HEADER) return data;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const id = view.getUint32(1);
    const index = view.getUint16(5);
    const count = view.getUint16(7);
    if (count === 0 || index >= count) return null;
    if ((count - 1) * CHUNK >= this.limit) {
      if (index === 0) this.onOversized(); // once per message, not per fragment
      return null;
    }
    let entry = this.pending.get(id);
    if (!entry) {
      entry = { parts: new Array(count), received: 0, bytes: 0 };
      this.pending.set(id, entry);
      if (this.pending.size > 16) this.forget(this.pending.keys().next().value!); // abandoned ones
    }
    if (entry.parts.length !== count || entry.parts[index]) return null;
    const size = data.length - HEADER;
    // A fragment is at most CHUNK long, and a message at most the limit: a peer that says otherwise
    // is not fragmenting, it is filling memory.
    if (size > CHUNK || entry.bytes + size > this.limit) {
      this.forget(id);
      this.onOversized();
      return null;
    }
    // Partial messages together stay under the limit: the oldest others give way (a peer that starts
    // many large messages and finishes none must not hold 16 of them).
    for (const other of [...this.pending.keys()]) {
      if (this.held + size <= this.limit) break;
      if (other !== id) this.forget(other);
    }
    entry.parts[index] = data.subarray(HEADER);
    entry.received++;
    entry.bytes += size;
    this.held += size;
    if (entry.received < count) return null;
    this.forget(id);
    const whole = new Uint8Array(entry.bytes);
    let at = 0;
    for (const p of entry.parts) {
      whole.set(p!, at);
      at += p!.length;
    }
    return whole;
  }
}

interface PeerLike {
  send(data: Uint8Array): void;
  listeners(event: 'data'): ((data: Uint8Array) => void)[];
  removeAllListeners(event: 'data'): void;
  on(event: 'data', fn: (data: Uint8Array) => void): void;
  destroy?(): void;
  /** Bytes waiting in the data channel (simple-peer). */
  readonly bufferSize?: number;
}

let nextId = 1;

export type PeerProblem = 'oversized' | 'malformed' | 'flooded';

/** Messages refused within FLOOD_WINDOW_MS after which a peer is disconnected: it is not catching up, it is flooding. */
export const FLOOD_DISCONNECT = 100;
export const FLOOD_WINDOW_MS = 10_000;

/** What a peer's messages are checked against, and who hears of it (all optional). */
export interface PeerGuards {
  report?: (problem: PeerProblem) => void;
  /** Whether y-webrtc can read the message (see peer-message.ts). */
  readable?: (message: Uint8Array) => boolean;
  /** Whether this message may be read now (see PeerThrottle); refused ones are dropped. */
  admit?: (message: Uint8Array) => boolean;
  /** How far a state this peer sends in pieces has come; null once it is all here. */
  receiving?: (progress: Receiving | null) => void;
  /** Whether the state this peer is sending (announced, or a piece of it) is not needed: another's is on its way (IncomingStates.holdBack). */
  holdBack?: () => boolean;
}

/**
 * Makes a simple-peer instance fragment what it sends and reassemble what it receives, and send a
 * large state in pieces (state-transfer.ts). Whatever the peer sends that y-webrtc cannot read (it
 * throws from inside the data event, which would go unhandled in the hub) or that is too large is
 * dropped and reported instead.
 */
export function fragmentPeer(peer: PeerLike, guards: PeerGuards = {}): void {
  const { report = () => {}, readable = () => true, admit = () => true, receiving = () => {}, holdBack = () => false } = guards;
  const send = peer.send.bind(peer);
  const sender = new StateSender(
    (message) => {
      for (const f of fragment(message, nextId++ >>> 0)) send(f);
    },
    () => peer.bufferSize ?? 0,
  );
  peer.send = (data: Uint8Array) => sender.push(data);
  const receiver = new StateReceiver(receiving);
  const handlers = peer.listeners('data');
  peer.removeAllListeners('data');
  const reassembler = new Reassembler(MAX_INCOMING, () => report('oversized'));
  // Refusals are counted over a window, not in a row: a flooder slipping in an admitted message
  // now and then is still a flooder.
  let refused = 0;
  let windowStart = Date.now();
  // One state is enough: this peer's is not needed while another's, started first, is coming.
  const notNeeded = () => {
    if (!receiver.busy || !holdBack()) return;
    receiver.cancel();
    for (const f of fragment(notNeededFrame(), nextId++ >>> 0)) send(f);
  };
  peer.on('data', (data: Uint8Array) => {
    const whole = reassembler.accept(data);
    if (!whole) return;
    if (isNotNeeded(whole)) return sender.stop();
    if (receiver.announce(whole)) return notNeeded();
    // Admission first: it reads two numbers, while reading the message decodes all of it.
    if (!admit(whole)) {
      report('flooded');
      const now = Date.now();
      if (now - windowStart > FLOOD_WINDOW_MS) {
        windowStart = now;
        refused = 0;
      }
      if (++refused >= FLOOD_DISCONNECT) peer.destroy?.();
      return;
    }
    if (!readable(whole)) return report('malformed');
    // Asked again for the state while it is on its way (the peer's periodic resync): what is being
    // sent answers it, and a second whole state would only queue behind the first.
    if (sender.sending && isStateRequest(whole)) return;
    try {
      for (const h of handlers) h(whole);
      receiver.received(whole);
      notNeeded();
    } catch {
      report('malformed');
    }
  });
}
