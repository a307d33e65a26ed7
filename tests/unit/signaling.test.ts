/** Who calls whom: the rules of lib/sync/signaling.ts, message by message. */
import { describe, expect, it } from 'vitest';
import { decide, STALE_HANDSHAKE_MS, type ExistingConn, type SignalMessage } from '../../lib/sync/signaling';

const announce = (from: string, to?: string): SignalMessage => ({ type: 'announce', from, ...(to ? { to } : {}) });
const offer = (from: string, to: string): SignalMessage => ({ type: 'signal', from, to, signal: { type: 'offer', sdp: 'v=0' } });
const answer = (from: string, to: string): SignalMessage => ({ type: 'signal', from, to, signal: { type: 'answer', sdp: 'v=0' } });
const conn = (over: Partial<ExistingConn> = {}): ExistingConn => ({ connected: false, closed: false, initiator: true, age: 0, ...over });

describe('signaling decisions', () => {
  it('of two peers, only the one with the smaller id calls; the other asks to be called', () => {
    expect(decide('a', announce('b'), undefined, false)).toEqual({ act: 'call', dropExisting: false });
    expect(decide('b', announce('a'), undefined, false)).toEqual({ act: 'ask', dropExisting: false });
    // The request to call is addressed: the smaller id receives it and calls.
    expect(decide('a', announce('b', 'a'), undefined, false)).toEqual({ act: 'call', dropExisting: false });
  });

  it('ignores its own messages and those addressed to someone else', () => {
    expect(decide('a', announce('a'), undefined, false)).toEqual({ act: 'ignore' });
    expect(decide('a', announce('b', 'c'), undefined, false)).toEqual({ act: 'ignore' });
    expect(decide('a', offer('b', 'c'), undefined, false)).toEqual({ act: 'ignore' });
  });

  it('keeps a connection that is up or whose handshake has just begun', () => {
    expect(decide('a', announce('b'), conn({ connected: true, age: 60_000 }), false)).toEqual({ act: 'ignore' });
    expect(decide('a', announce('b'), conn({ age: STALE_HANDSHAKE_MS - 1 }), false)).toEqual({ act: 'ignore' });
  });

  it('replaces a stalled handshake when the other side announces again', () => {
    expect(decide('a', announce('b'), conn({ age: STALE_HANDSHAKE_MS + 1 }), false)).toEqual({ act: 'call', dropExisting: true });
    expect(decide('b', announce('a'), conn({ age: STALE_HANDSHAKE_MS + 1, initiator: false }), false)).toEqual({ act: 'ask', dropExisting: true });
  });

  it('settles crossed calls for the smaller id', () => {
    // Both sides called: the smaller id ignores the other's offer, the larger answers it.
    expect(decide('a', offer('b', 'a'), conn({ initiator: true }), false)).toEqual({ act: 'ignore' });
    expect(decide('b', offer('a', 'b'), conn({ initiator: true }), false)).toEqual({ act: 'answer', dropExisting: true });
  });

  it('treats an offer on an answered connection as a new call', () => {
    expect(decide('b', offer('a', 'b'), conn({ initiator: false, connected: true }), false)).toEqual({ act: 'answer', dropExisting: true });
    expect(decide('b', offer('a', 'b'), undefined, false)).toEqual({ act: 'answer', dropExisting: false });
  });

  it('drops answers and candidates for a call that no longer exists', () => {
    expect(decide('a', answer('b', 'a'), undefined, false)).toEqual({ act: 'ignore' });
    expect(decide('a', answer('b', 'a'), conn({ closed: true }), false)).toEqual({ act: 'ignore' });
    expect(decide('a', answer('b', 'a'), conn(), false)).toEqual({ act: 'signal' });
  });

  it('starts nothing new once the room has as many connections as it allows', () => {
    expect(decide('a', announce('b'), undefined, true)).toEqual({ act: 'ignore' });
    expect(decide('b', offer('a', 'b'), undefined, true)).toEqual({ act: 'ignore' });
    // A replacement does not add one.
    expect(decide('a', announce('b'), conn({ age: STALE_HANDSHAKE_MS + 1 }), true)).toEqual({ act: 'call', dropExisting: true });
  });
});
