import { describe, expect, it } from 'vitest';
import { inviteInLink, inviteLink } from '../../lib/groups/invite-link';

describe('invite links on the group server', () => {
  it('turn the signaling address into its https page, the code in the fragment', () => {
    expect(inviteLink(['wss://margins.example.org'], 'margins1.abc.def')).toBe('https://margins.example.org/join#margins1.abc.def');
    expect(inviteLink(['wss://example.org/margins/'], 'margins1.a.b')).toBe('https://example.org/margins/join#margins1.a.b');
    expect(inviteLink(['ws://127.0.0.1:4444'], 'margins1.a.b')).toBe('http://127.0.0.1:4444/join#margins1.a.b');
    expect(inviteLink(['not a url', 'wss://second.example'], 'margins1.a.b')).toBe('https://second.example/join#margins1.a.b');
    // Plain http across a network: anyone on the path could swap the page and read the invite.
    expect(inviteLink(['ws://margins.example.org:4444'], 'margins1.a.b')).toBeNull();
    expect(inviteLink([], 'margins1.a.b')).toBeNull();
  });

  it('are recognised only as a join page holding a Margins code', () => {
    const code = 'margins1.eyJhIjoxfQ.c2ln';
    expect(inviteInLink(inviteLink(['wss://m.example'], code)!)).toBe(code);
    expect(inviteInLink(`https://m.example/join#${code}`)).toBe(code);
    expect(inviteInLink(`https://m.example/other#${code}`)).toBeNull();
    expect(inviteInLink('https://m.example/join#hello')).toBeNull();
    expect(inviteInLink('https://m.example/join')).toBeNull();
    expect(inviteInLink(undefined)).toBeNull();
  });
});
