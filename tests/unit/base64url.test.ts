import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../../lib/identity/base64url';

describe('base64url', () => {
  it('encodes and decodes any bytes as the standard base64url alphabet, without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect([...fromBase64Url(text)]).toEqual([...bytes]);
      }),
    );
  });
});
