/**
 * A member's browser gone bad (Node peers over @roamhq/wrtc): it sends an update Yjs cannot read,
 * claims a 32 MiB message, passes off words under someone's signature, asks for the whole state
 * hundreds of times at once, or deletes the shared log. The chair's hub keeps
 * running, keeps the review as it was, and reports each problem; presence shows who is here.
 */
import { describe, expect } from 'vitest';
import { peerTest, startPeer, startReviewRoom, usePeerRoom, type Peer } from '../support/peers';

const peerRoom = usePeerRoom();
const peers = peerRoom.peers;

interface Room {
  peers: number;
  present: { key: string; name: string }[];
  problems: { oversized: number; malformed: number; flooded: number };
  rejected: string[];
}

async function until(peer: Peer, ok: (room: Room) => boolean, timeout = 30_000): Promise<Room> {
  let room: Room = await peer.send('room');
  for (const deadline = Date.now() + timeout; !ok(room) && Date.now() < deadline; room = await peer.send('room')) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return room;
}

describe('a hostile peer in the room', () => {
  peerTest('cannot crash the chair or change the review, and every problem is reported', async () => {
    const { chair, members: [mallory] } = await startReviewRoom(peerRoom.url(), 'chair', ['mallory'], 2);
    peers.push(chair, mallory);
    await mallory.send('state', { threads: 2 });

    // Both have the review open: each sees the other as here now.
    expect((await until(chair, (r) => r.present.length === 1)).present.map((p) => p.name)).toEqual(['mallory']);
    expect((await until(mallory, (r) => r.present.length === 1)).present.map((p) => p.name)).toEqual(['chair']);

    // Presence is signed: Mallory cannot claim to be the chair, by forging or by replaying.
    for (const mode of ['forge', 'replay']) {
      expect((await mallory.send('claim-presence', { mode })).claimed).toBe('chair');
      await until(chair, (r) => r.present.length === 0, 10_000);
      await new Promise((r) => setTimeout(r, 1_500)); // long past any signature check still running
      expect((await chair.send('room')).present).toEqual([]);
    }

    expect((await mallory.send('misbehave')).peers).toBe(1);
    const room = await until(chair, (r) => r.problems.malformed > 0 && r.problems.oversized > 0 && r.rejected.length > 0);
    expect(room.problems).toEqual({ malformed: 1, oversized: 1, flooded: 0 });
    expect(room.rejected).toEqual(['signature does not verify']);

    // A flood of requests for the whole state: answered a handful of times, then the flooder is cut off.
    const flood = await mallory.send('flood-state-requests', { n: 300 });
    expect(flood.peers).toBe(1);
    expect(flood.received).toBeLessThan(flood.stateBytes * 20);
    expect((await until(chair, (r) => r.problems.flooded >= 100)).problems.flooded).toBeGreaterThanOrEqual(100);

    // The chair's hub still works and its review is whole: its own comments, Mallory's honest one.
    await chair.send('comment', { n: 1 });
    const after = await chair.send('state', { threads: 4 });
    expect(after.threads).toBe(4);
    expect((await mallory.send('state', { threads: 4 })).digest).toBe(after.digest);
    // Mallory reconnects (as any peer whose channel closed): the room works again.
    expect((await until(chair, (r) => r.peers === 1)).peers).toBe(1);
  }, 120_000);

  peerTest('an outsider who learns the room name but not the secret receives nothing', async () => {
    const chair = await startPeer('chair2', peerRoom.url());
    const member = await startPeer('member2', peerRoom.url());
    const outsider = await startPeer('outsider', peerRoom.url());
    peers.push(chair, member, outsider);
    const { invite } = await chair.send('create-group');
    await chair.send('create-review');
    await chair.send('comment', { n: 3 });
    await member.send('join', { invite });
    await member.send('await-review');
    await member.send('state', { threads: 3 });

    const { room } = await chair.send('room-name');
    const seen = await outsider.send('eavesdrop', { room, ms: 6000 });
    expect(seen).toEqual({ events: 0, updateBytes: 2, connected: 0 }); // 2 bytes: an empty Yjs update
    // Its signaling could not be decrypted by the room: counted, not left unhandled.
    expect((await chair.send('room')).decryptFailures).toBeGreaterThan(0);
    // And the group's own peers are undisturbed.
    await member.send('comment', { n: 1 });
    expect((await chair.send('state', { threads: 4 })).threads).toBe(4);
  }, 120_000);

  peerTest('a member who deletes the shared event log erases nothing: honest hubs put it back', async () => {
    const { chair, members: [eraser] } = await startReviewRoom(peerRoom.url(), 'chair3', ['eraser'], 3);
    peers.push(chair, eraser);
    const before = await eraser.send('state', { threads: 3 });
    expect(before.threads).toBe(3);

    await chair.send('watch-deletions');
    expect((await eraser.send('erase')).deleted).toBeGreaterThan(3);
    // The deletion reached the chair's side of the review...
    for (const deadline = Date.now() + 20_000; (await chair.send('deletions')).deletions === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 200));
    expect((await chair.send('deletions')).deletions).toBeGreaterThan(0);
    // ...and every thread is there all the same, on both sides.
    await new Promise((r) => setTimeout(r, 2_000));
    const chairState = await chair.send('state', { threads: 3, timeout: 10_000 });
    expect(chairState.threads).toBe(3);
    expect((await eraser.send('state', { threads: 3, timeout: 10_000 })).digest).toBe(chairState.digest);
  }, 120_000);
});
