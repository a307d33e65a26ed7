import { describe, expect, it } from 'vitest';
import { CHUNK, FLOOD_DISCONNECT, fragment, fragmentPeer, Reassembler } from '../../lib/sync/fragments';

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
    fragmentPeer(peer, { report: (p) => problems.push(p) });
    listeners[0](Uint8Array.from([9]));
    listeners[0](Uint8Array.from([1]));
    expect(problems).toEqual(['oversized', 'malformed']);
    expect(received).toEqual([1]);
  });

  it('holds at most the limit over all the messages still being assembled', () => {
    const r = new Reassembler(CHUNK * 8);
    // Ten messages of six fragments each, all but the last fragment sent: 50 fragments held at most 8.
    const messages = Array.from({ length: 10 }, (_, i) => fragment(new Uint8Array(CHUNK * 6).fill(i), 100 + i));
    for (const parts of messages) for (const part of parts.slice(0, 5)) expect(r.accept(part)).toBeNull();
    // The oldest gave way: finishing them yields nothing; the newest is whole.
    expect(r.accept(messages[0][5])).toBeNull();
    expect(r.accept(messages[9][5])?.[0]).toBe(9);
  });

  it('refuses fragments longer than a fragment, and a message that grows past the limit', () => {
    const problems: string[] = [];
    const r = new Reassembler(CHUNK * 4, () => problems.push('oversized'));
    const [first] = fragment(new Uint8Array(CHUNK * 2), 7);
    const fat = new Uint8Array(9 + CHUNK * 3); // one "fragment" carrying three
    fat.set(first.subarray(0, 9));
    expect(r.accept(fat)).toBeNull();
    expect(problems).toEqual(['oversized']);
    const parts = fragment(new Uint8Array(CHUNK * 2), 8);
    expect(r.accept(parts[0])).toBeNull();
    expect(r.accept(parts[1])?.length).toBe(CHUNK * 2); // honest fragments still assemble
  });

  it('drops what the peer may not send now, reports it, and disconnects a peer that keeps on', () => {
    const listeners: ((d: Uint8Array) => void)[] = [];
    let destroyed = 0;
    const peer = {
      send: () => {},
      listeners: () => [...listeners],
      removeAllListeners: () => void listeners.splice(0),
      on: (_: 'data', fn: (d: Uint8Array) => void) => void listeners.push(fn),
      destroy: () => void destroyed++,
    };
    const received: number[] = [];
    peer.on('data', (d) => received.push(d[0]));
    const problems: string[] = [];
    fragmentPeer(peer, { report: (p) => problems.push(p), admit: (m) => m[0] !== 7 });
    listeners[0](Uint8Array.from([7]));
    listeners[0](Uint8Array.from([1]));
    expect([received, problems, destroyed]).toEqual([[1], ['flooded'], 0]);
    // Admitted messages in between do not wipe the slate.
    for (let i = 0; i < FLOOD_DISCONNECT - 2; i++) {
      listeners[0](Uint8Array.from([7]));
      listeners[0](Uint8Array.from([1]));
    }
    expect(destroyed).toBe(0);
    listeners[0](Uint8Array.from([7]));
    expect(destroyed).toBe(1);
  });
});
