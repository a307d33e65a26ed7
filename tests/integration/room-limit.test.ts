/**
 * A signaling server that takes no more rooms from a browser says so, and the review shows it
 * cannot sync (issue 14: past 64 rooms sync used to stop without a word). A real server and a Node
 * peer; the server's room limit is set to one, so the group's directory takes it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { eventually, startPeer, type Peer } from '../support/peers';

let server: SignalingServer | undefined;
let chair: Peer | undefined;
afterAll(async () => {
  chair?.stop();
  await server?.close();
});

describe('the room limit', () => {
  it('a review whose room the server refused reports it, instead of looking merely offline', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxTopicsPerConnection: 1 });
    chair = await startPeer('chair', server.url);
    await chair.send('create-group');
    await chair.send('create-review');
    const room = await eventually(() => chair!.send<{ refused: boolean; signaling: boolean }>('room'), (r) => r.refused, 20_000);
    expect(room).toMatchObject({ refused: true, signaling: true });
  });
});
