/**
 * What a peer forwards. y-webrtc sends every update a room's doc applies to every connection,
 * including updates that just arrived from another peer, and likewise every awareness change: in a
 * full mesh of n peers one comment is sent n·(n−1) times instead of n−1. Measured with ten Node
 * peers on two cores, that relaying was the largest cost of the ten-peer scenario (see
 * docs/sync.md). Here a peer sends only what did not come from the room: its own edits and those of
 * the surfaces it serves. What one peer holds reaches a peer it is not connected to through the
 * periodic state-vector exchange (webrtc-network.ts) instead.
 *
 * y-webrtc also copies each message, encrypted, to a BroadcastChannel for other tabs of the same
 * browser; the hub is the only peer per browser profile, so that copy is switched off.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- y-webrtc passes a Yjs update or an awareness change
type Handler = (change: any, origin: unknown) => void;

export interface RelayRoom {
  doc: Y.Doc;
  awareness: Awareness;
  bcconnected: boolean;
  _docUpdateHandler: Handler;
  _awarenessUpdateHandler: Handler;
}

/** Call once the room is connected (y-webrtc has registered its handlers). */
export function sendOnlyOwnChanges(room: RelayRoom): void {
  const forward = (handler: Handler): Handler => (change, origin) => {
    if (origin !== room) handler(change, origin);
  };
  room.doc.off('update', room._docUpdateHandler);
  room.awareness.off('update', room._awarenessUpdateHandler);
  // Replace the handlers themselves: y-webrtc registers them again on reconnecting.
  room._docUpdateHandler = forward(room._docUpdateHandler);
  room._awarenessUpdateHandler = forward(room._awarenessUpdateHandler);
  room.doc.on('update', room._docUpdateHandler);
  room.awareness.on('update', room._awarenessUpdateHandler);
  room.bcconnected = false;
}
