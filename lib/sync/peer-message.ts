/**
 * Checks a y-webrtc message from a peer before y-webrtc reads it. Yjs swallows an update it cannot
 * decode (it logs and carries on), so a peer sending garbage would go unnoticed; decoding the
 * update here first lets the hub drop it and say so. The frame is y-webrtc's: a varuint message
 * type, then for sync messages a varuint sync step and a length-prefixed update.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export function isReadablePeerMessage(message: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return true; // awareness and the rest: y-webrtc's own checks
    const step = decoding.readVarUint(decoder);
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return true;
    Y.decodeUpdate(decoding.readVarUint8Array(decoder));
    return true;
  } catch {
    return false;
  }
}

/** A y-webrtc sync message asking a peer for what this doc lacks (y-protocols sync step 1). */
export function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** Whether a y-webrtc message asks for the state (sync step 1), which costs its receiver a whole-state answer. */
export function isStateRequest(message: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(message);
    return decoding.readVarUint(decoder) === MESSAGE_SYNC && decoding.readVarUint(decoder) === SYNC_STEP1;
  } catch {
    return false;
  }
}

/** A token bucket: `burst` at once, then `perSecond`. */
class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private perSecond: number,
    private burst: number,
    private now: () => number,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}

/** A y-webrtc sync message (state request, state, or update); awareness and the rest are not. */
function isSyncMessage(message: Uint8Array): boolean {
  try {
    return decoding.readVarUint(decoding.createDecoder(message)) === MESSAGE_SYNC;
  } catch {
    return false;
  }
}

/**
 * What one peer may send, how often. A request for the state is answered with everything the
 * asker lacks, for a newcomer the whole review: a peer asking in a loop made its receiver send the
 * whole state thousands of times a second. An honest peer asks when it connects and every two
 * seconds after (webrtc-network's resync): a burst of 5, then 1 a second, is room enough. Every
 * other sync message costs its receiver a decode, a verification and a fold: a peer sending
 * thousands a second slowed every honest one; an honest peer sends one per event it writes or
 * relays (an import of thousands of annotations, a few hundred a second), and its whole state in
 * one message. What is refused is not lost: the next resync asks for whatever is missing.
 */
export class PeerThrottle {
  private requests: Bucket;
  private others: Bucket;

  constructor(limits: { requestsPerSecond?: number; requestBurst?: number; messagesPerSecond?: number; messageBurst?: number } = {}, now: () => number = Date.now) {
    this.requests = new Bucket(limits.requestsPerSecond ?? 1, limits.requestBurst ?? 5, now);
    this.others = new Bucket(limits.messagesPerSecond ?? 500, limits.messageBurst ?? 5_000, now);
  }

  admit(message: Uint8Array): boolean {
    if (isStateRequest(message)) return this.requests.take();
    return !isSyncMessage(message) || this.others.take();
  }
}
