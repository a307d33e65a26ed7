import { describe, expect, it } from 'vitest';
import { CHUNK, fragment, fragmentPeer, Reassembler } from '../../lib/sync/fragments';

describe('data channel fragments', () => {
  it('splits a large message and puts it back together, in any order', () => {
    const message = Uint8Array.from({ length: CHUNK * 3 + 123 }, (_, i) => (i * 7) % 251);
    const parts = fragment(message, 42);
    expect(parts).toHaveLength(4);
    expect(parts.every((p) => p.length <= CHUNK + 9)).toBe(true);
    const r = new Reassembler();
    const order = [2, 0, 3, 1];
    const results = order.map((i) => r.accept(parts[i]));
    expect(results.slice(0, 3)).toEqual([null, null, null]);
    expect(results[3]).toEqual(message);
  });

  it('passes small messages through unchanged, and ignores duplicate or lying fragments', () => {
    const small = Uint8Array.from([0, 1, 2, 3]);
    expect(fragment(small, 1)).toEqual([small]);
    const r = new Reassembler();
    expect(r.accept(small)).toBe(small);
    const parts = fragment(new Uint8Array(CHUNK * 2), 7);
    expect(r.accept(parts[0])).toBeNull();
    expect(r.accept(parts[0])).toBeNull(); // duplicate
    const liar = parts[1].slice();
    new DataView(liar.buffer).setUint16(7, 60000); // claims a 60,000-fragment message
    expect(r.accept(liar)).toBeNull();
    expect(r.accept(parts[1])!.length).toBe(CHUNK * 2);
  });

  it('reports a message larger than the limit once, and a message the receiver cannot read, and goes on', () => {
    const problems: string[] = [];
    const r = new Reassembler(CHUNK * 4, () => problems.push('oversized'));
    for (const part of fragment(new Uint8Array(CHUNK * 6), 9)) expect(r.accept(part)).toBeNull();
    expect(problems).toEqual(['oversized']);
    expect(r.accept(fragment(new Uint8Array(CHUNK * 3), 10)[0])).toBeNull(); // within the limit: still assembling

    const listeners: ((d: Uint8Array) => void)[] = [];
    const received: number[] = [];
    const peer = {
      send: () => {},
      listeners: () => [...listeners],
      removeAllListeners: () => void listeners.splice(0),
      on: (_: 'data', fn: (d: Uint8Array) => void) => void listeners.push(fn),
    };
    peer.on('data', (d) => {
      if (d[0] === 9) throw new Error('Unexpected end of array');
      received.push(d[0]);
    });
    fragmentPeer(peer, (p) => problems.push(p));
    listeners[0](Uint8Array.from([9]));
    listeners[0](Uint8Array.from([1]));
    expect(problems).toEqual(['oversized', 'malformed']);
    expect(received).toEqual([1]);
  });
});
