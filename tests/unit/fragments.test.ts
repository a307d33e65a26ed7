import { describe, expect, it } from 'vitest';
import { CHUNK, fragment, Reassembler } from '../../lib/sync/fragments';

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
});
