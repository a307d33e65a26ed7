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

/**
 * How often one peer may ask for the state. Each request is answered with everything it lacks,
 * which for a newcomer is the whole review: a peer asking in a loop made its receiver send the
 * whole state thousands of times a second. An honest peer asks when it connects and every two
 * seconds after (webrtc-network's resync): a burst of `burst`, then `perSecond`, is room enough.
 */
export class StepOneThrottle {
  private tokens: number;
  private at: number;

  constructor(
    private perSecond = 1,
    private burst = 5,
    private now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.at = now();
  }

  admit(message: Uint8Array): boolean {
    if (!isStateRequest(message)) return true;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.at) / 1000) * this.perSecond);
    this.at = t;
    if (this.tokens < 1) return false;
    this.tokens--;
    return true;
  }
}
