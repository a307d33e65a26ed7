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
