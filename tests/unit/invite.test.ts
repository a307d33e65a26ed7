import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../lib/identity';
import { groupIdOf, newSecret, roomName } from '../../lib/groups/group';
import { InviteError, makeInvite, readInvite } from '../../lib/groups/invite';

async function invite(expires: number | null = null) {
  const chair = await generateIdentity();
  const secret = newSecret();
  const group = { id: await groupIdOf(secret, chair.publicKey), epoch: 0, name: 'MAG working group', secret, chair: chair.publicKey, signaling: ['wss://signal.example.org'], iceServers: [{ urls: 'stun:stun.example.org:3478' }] };
  return { chair, group, code: await makeInvite(group, { id: 'I'.repeat(22), expires, token: 'T'.repeat(22) }, chair) };
}

describe('invites', () => {
  it('round-trips, also from a join link, and shows the chair fingerprint', async () => {
    const { code, group } = await invite();
    const read = await readInvite(code);
    expect(read.group).toMatchObject(group);
    expect(read.chairFingerprint).toMatch(/^\S{4} \S{4} \S{4} \S{4}$/);
    expect((await readInvite(`chrome-extension://abc/join.html#${code}`)).group.secret).toBe(group.secret);
  });

  it('names what is wrong with a bad invite', async () => {
    const { code } = await invite();
    const [, body, sig] = code.split('.');
    const cases: [string, RegExp][] = [
      ['hello', /not a Margins invite/],
      [code.slice(0, code.lastIndexOf('.')), /incomplete/],
      [`margins1.${body.slice(0, 20)}.${sig}`, /damaged/],
      [`margins1.${Buffer.from(JSON.stringify({ name: 'x' })).toString('base64url')}.${sig}`, /not valid/],
      [`margins1.${body}.${sig.slice(0, -4)}AAAA`, /signature does not match/],
      // A link whose fragment is no valid percent-encoding: damaged, not a URIError.
      ['https://s.example/join#%E0%A4%A', /damaged/],
      [`https://s.example/join#${code}%`, /damaged/],
    ];
    for (const [input, message] of cases) {
      await expect(readInvite(input)).rejects.toThrow(message);
      await expect(readInvite(input)).rejects.toBeInstanceOf(InviteError);
    }
    // Someone swaps in their own signaling server: the signature catches it.
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    payload.signaling = ['wss://evil.example'];
    await expect(readInvite(`margins1.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`)).rejects.toThrow(/signature/);
  });

  it("refuses an invite someone holding the secret re-signed as the group's chair", async () => {
    const { code } = await invite();
    const mallory = await generateIdentity();
    const payload = JSON.parse(Buffer.from(code.split('.')[1], 'base64url').toString());
    const forged = await makeInvite({ ...payload, chair: mallory.publicKey, id: payload.group }, { id: payload.id, expires: null, token: payload.token }, mallory);
    await expect(readInvite(forged)).rejects.toMatchObject({ code: 'inviteTampered' });
  });

  it('refuses, with a reason, an invite signed with an expiry no date can hold', async () => {
    for (const expires of [-1e16, 1e16]) {
      const { code } = await invite(expires);
      await expect(readInvite(code)).rejects.toMatchObject({ code: 'inviteInvalid' });
    }
  });

  it('refuses an expired invite, saying when it expired', async () => {
    const { code } = await invite(Date.parse('2026-11-01T12:00:00Z'));
    await expect(readInvite(code, Date.parse('2026-11-02T00:00:00Z'))).rejects.toMatchObject({ code: 'inviteExpired', args: ['2026-11-01 12:00'] });
    expect((await readInvite(code, Date.parse('2026-11-01T00:00:00Z'))).invite).toEqual({ id: 'I'.repeat(22), expires: Date.parse('2026-11-01T12:00:00Z'), token: 'T'.repeat(22) });
  });

  it('gives rooms names that reveal neither the review nor the secret', async () => {
    const a = await roomName(newSecret(), 'review.1');
    const b = await roomName(newSecret(), 'review.1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('review');
  });
});
