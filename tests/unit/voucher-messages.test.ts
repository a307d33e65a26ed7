import { describe, expect, it } from 'vitest';
import { voucherMessages } from '../../lib/sync/protocol';
import type { Voucher } from '../../lib/review/verify';

const vouchers = (n: number): Voucher[] => Array.from({ length: n }, (_, i) => [`s${i}`, `id${i}`, `p${i}`]);

describe('voucher messages to a surface', () => {
  it('splits vouchers into messages of a bounded size, in order, and takes refutations with the last', () => {
    const messages = voucherMessages('r', vouchers(7), [['x', 'y']], 3);
    expect(messages.map((m) => m.pairs.map((v) => v[0]))).toEqual([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
    expect(messages.map((m) => m.refuted)).toEqual([undefined, undefined, [['x', 'y']]]);
    expect(messages.every((m) => m.t === 'verified' && m.review === 'r')).toBe(true);
  });

  it('sends refutations alone when nothing new is vouched for, and nothing when there is nothing', () => {
    expect(voucherMessages('r', [], [['x', 'y']], 3)).toEqual([{ t: 'verified', review: 'r', pairs: [], refuted: [['x', 'y']] }]);
    expect(voucherMessages('r', [], [], 3)).toEqual([]);
    expect(voucherMessages('r', vouchers(3), [], 3)).toHaveLength(1);
  });
});
