import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { isReadablePeerMessage, isStateRequest, PeerThrottle, syncStep1 } from '../../lib/sync/peer-message';

function syncMessage(step: number, update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, update);
  return encoding.toUint8Array(e);
}

describe('peer messages', () => {
  it('accepts real updates and other message kinds, refuses an update Yjs cannot decode', () => {
    const doc = new Y.Doc();
    doc.getArray('events').push([{ p: '{}', s: 'x' }]);
    const update = Y.encodeStateAsUpdate(doc);
    expect(isReadablePeerMessage(syncMessage(2, update))).toBe(true);
    expect(isReadablePeerMessage(syncMessage(1, update))).toBe(true);
    expect(isReadablePeerMessage(Uint8Array.from([3]))).toBe(true); // awareness query
    expect(isReadablePeerMessage(syncMessage(2, Uint8Array.from([250, 251, 252, 253, 254, 255])))).toBe(false);
    expect(isReadablePeerMessage(syncMessage(2, update.subarray(0, update.length - 3)))).toBe(false);
    expect(isReadablePeerMessage(Uint8Array.from([0, 2, 40]))).toBe(false); // length beyond the message
  });

  it('asks a peer for what this doc lacks, in the frame y-webrtc answers', () => {
    const full = new Y.Doc();
    full.getArray('events').push([{ p: '{"id":"a"}', s: 'x' }, { p: '{"id":"b"}', s: 'y' }]);
    const empty = new Y.Doc();
    const ask = syncStep1(empty);
    expect(isReadablePeerMessage(ask)).toBe(true);
    // What the full peer's y-webrtc does with it: read the sync message, answer with step 2.
    const decoder = decoding.createDecoder(ask);
    expect(decoding.readVarUint(decoder)).toBe(0);
    const reply = encoding.createEncoder();
    syncProtocol.readSyncMessage(decoder, reply, full, null);
    syncProtocol.readSyncMessage(decoding.createDecoder(encoding.toUint8Array(reply)), encoding.createEncoder(), empty, null);
    expect(empty.getArray('events').toJSON()).toEqual(full.getArray('events').toJSON());
  });

  it('lets a peer ask for the whole state in a burst and then once a second, and send other sync messages at a bounded rate', () => {
    let now = 0;
    const throttle = new PeerThrottle({ messagesPerSecond: 100, messageBurst: 300 }, () => now);
    const ask = syncStep1(new Y.Doc());
    const update = syncMessage(2, Y.encodeStateAsUpdate(new Y.Doc()));
    const awareness = Uint8Array.from([1, 0]);
    expect(isStateRequest(ask)).toBe(true);
    expect(isStateRequest(update)).toBe(false);
    expect(Array.from({ length: 8 }, () => throttle.admit(ask))).toEqual([true, true, true, true, true, false, false, false]);
    const updates = Array.from({ length: 400 }, () => throttle.admit(update));
    expect(updates.filter(Boolean)).toHaveLength(300); // the burst; the rest dropped until the bucket refills
    expect(Array.from({ length: 1_000 }, () => throttle.admit(awareness)).every(Boolean)).toBe(true);
    now += 1_000;
    expect([throttle.admit(ask), throttle.admit(ask)]).toEqual([true, false]);
    expect(Array.from({ length: 150 }, () => throttle.admit(update)).filter(Boolean)).toHaveLength(100);
    now += 2_000; // an honest peer: one request every two seconds
    for (let i = 0; i < 20; i++, now += 2_000) expect(throttle.admit(ask)).toBe(true);
  });
});
