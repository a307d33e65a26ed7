/**
 * A signaling server that takes no more rooms from a browser says so, and the review shows it
 * cannot sync (issue 14: past 64 rooms sync used to stop without a word). A real server and a Node
 * peer; the server's room limit is set to one, so the group's directory takes it.
 */
import { describe, expect } from 'vitest';
import { eventually, peerTest, startPeer, usePeerRoom } from '../support/peers';

const room = usePeerRoom({ maxTopicsPerConnection: 1 });

describe('the room limit', () => {
  peerTest('a review whose room the server refused reports it, instead of looking merely offline', async () => {
    const chair = await startPeer('chair', room.url());
    room.peers.push(chair);
    await chair.send('create-group');
    await chair.send('create-review');
    const status = await eventually(() => chair.send<{ refused: boolean; signaling: boolean }>('room'), (r) => r.refused, 20_000);
    expect(status).toMatchObject({ refused: true, signaling: true });
  }, 60_000);
});
