import { describe, expect, it } from 'vitest';
import { voucherMessages } from '../../lib/sync/protocol';
import type { Voucher } from '../../lib/review/verify';

/** Vouchers of 10 characters each (s, id and text of 3, 3 and 4). */
const vouchers = (n: number): Voucher[] => Array.from({ length: n }, (_, i) => [`s${i}`.padEnd(3, '.'), `i${i}`.padEnd(3, '.'), `p${i}`.padEnd(4, '.')]);

describe('voucher messages to a surface', () => {
  it('cuts vouchers into messages of a bounded size, in order, refutations after them', () => {
    const messages = voucherMessages('r', vouchers(7), [['x', 'y']], 30);
    expect(messages.map((m) => m.pairs.map((v) => v[0]))).toEqual([['s0.', 's1.', 's2.'], ['s3.', 's4.', 's5.'], ['s6.']]);
    expect(messages.map((m) => m.refuted)).toEqual([undefined, undefined, [['x', 'y']]]);
    expect(messages.every((m) => m.t === 'verified' && m.review === 'r')).toBe(true);
  });

  it('counts the texts: one long text goes alone, and a refutation that does not fit goes in a message of its own', () => {
    const long: Voucher = ['s', 'i', 'x'.repeat(100)];
    const messages = voucherMessages('r', [vouchers(1)[0], long, vouchers(1)[0]], [['s', 'y'.repeat(25)]], 30);
    expect(messages.map((m) => [m.pairs.length, m.refuted?.length ?? 0])).toEqual([[1, 0], [1, 0], [1, 0], [0, 1]]);
  });

  it('sends refutations alone when nothing new is vouched for, and nothing when there is nothing', () => {
    expect(voucherMessages('r', [], [['x', 'y']], 30)).toEqual([{ t: 'verified', review: 'r', pairs: [], refuted: [['x', 'y']] }]);
    expect(voucherMessages('r', [], [], 30)).toEqual([]);
  });
});
