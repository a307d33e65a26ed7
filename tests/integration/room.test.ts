/**
 * Ten Node peers (the real hub over @roamhq/wrtc, one process each) in one review room:
 * concurrent comments, a chair resolving while members reopen, all converging to one state.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, type Peer } from '../support/peers';

let signaling: SignalingServer;
const peers: Peer[] = [];
afterAll(async () => {
  peers.forEach((p) => p.stop());
  await signaling?.close();
});

describe('a room of ten Node peers', () => {
  it('converges on identical state after concurrent comments, resolves and reopens', async () => {
    signaling = await startSignalingServer({ port: 0, quiet: true });
    const chair = await startPeer('chair', signaling.url);
    peers.push(chair);
    const { invite } = await chair.send('create-group');
    await chair.send('create-review');
    const members = await Promise.all(Array.from({ length: 9 }, (_, i) => startPeer(`m${i}`, signaling.url)));
    peers.push(...members);
    await Promise.all(members.map((m) => m.send('join', { invite })));
    await Promise.all(members.map((m) => m.send('await-review')));
    await Promise.all(members.map((m) => m.send('await-member')));

    await Promise.all(peers.map((p) => p.send('comment', { n: 3 })));
    const total = peers.length * 3;
    await chair.send('state', { threads: total });
    await chair.send('resolve-all');
    await Promise.all(members.map((m) => m.send('reopen-own')));

    // Every peer must fold to the same state once the last events have spread.
    let states: { threads: number; digest: string }[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 500))) {
      states = await Promise.all(peers.map((p) => p.send('state', { threads: total })));
      if (new Set(states.map((s) => s.digest)).size === 1) break;
    }
    expect(states.map((s) => s.threads)).toEqual(peers.map(() => total));
    expect(new Set(states.map((s) => s.digest)).size).toBe(1);
    // The chair's resolves and the members' reopens both happened and were settled the same way.
    expect(states[0].digest).toMatch(/"open"/);
    expect(states[0].digest).toMatch(/"resolved","noted"/);
  }, 180_000);
});
