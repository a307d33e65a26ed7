import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { isReadablePeerMessage } from '../../lib/sync/peer-message';

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
});
