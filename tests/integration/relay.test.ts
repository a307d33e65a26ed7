/**
 * Two members who cannot connect to each other (as behind NATs without TURN) still exchange
 * comments through a third peer: a peer sends only its own changes (lib/sync/relay.ts), so what
 * crosses the gap travels by the periodic state-vector exchange (lib/sync/webrtc-network.ts).
 */
import { describe, expect } from 'vitest';
import { eventually as until, peerTest, startReviewRoom, usePeerRoom } from '../support/peers';

const room = usePeerRoom();
const peers = room.peers;

describe('peers that cannot connect directly', () => {
  peerTest('receive each other’s comments through a peer connected to both', async () => {
    const { chair, members: [bridge, far] } = await startReviewRoom(room.url(), 'chair', ['bridge', 'far']);
    peers.push(chair, bridge, far);

    const [{ id: chairId }, { id: farId }] = await Promise.all([chair.send('room-peer-id'), far.send('room-peer-id')]);
    await chair.send('refuse', { peerId: farId });
    await far.send('refuse', { peerId: chairId });
    // Each of the two is now connected to the bridge alone.
    for (const p of [chair, far]) expect((await until(() => p.send('room'), (r) => r.peers === 1)).peers).toBe(1);

    await chair.send('comment', { n: 1 });
    expect((await far.send('state', { threads: 1, timeout: 20_000 })).threads).toBe(1);
    await far.send('comment', { n: 1 });
    expect((await chair.send('state', { threads: 2, timeout: 20_000 })).threads).toBe(2);
    // Still no direct connection: the comments crossed through the bridge.
    expect((await far.send('room')).peers).toBe(1);
  }, 120_000);
});
