/**
 * Membership the chair controls (Node peers over @roamhq/wrtc and a real signaling server): removal
 * with a new group secret, and what a member holding the secret tries against admission and the
 * group's directory.
 */
import { describe, expect } from 'vitest';
import { eventually, peerTest, startPeer, startReviewRoom, usePeerRoom } from '../support/peers';

const room = usePeerRoom();
const peers = room.peers;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface GroupView {
  members: { key: string; name: string; status: string }[];
  pending: { key: string; name: string; held: string }[];
  invites: { id: string; uses: number | null; used: number }[];
  removed: boolean;
}

describe('membership', () => {
  peerTest('a removed member receives nothing new; the others keep syncing; their earlier comment stays, attributed', async () => {
    const { chair, members: [alice, bob] } = await startReviewRoom(room.url(), 'chair', ['alice', 'bob']);
    peers.push(chair, alice, bob);
    await alice.send('comment', { n: 1 });
    await bob.send('comment', { n: 1 });
    for (const p of [chair, alice, bob]) await p.send('state', { threads: 2 });
    const aliceKey = (await alice.send('whoami')).publicKey;
    // Each member's grant is written once, however many passes the chair's hub made.
    expect(Object.values(await chair.send('grants'))).toEqual([1, 1]);

    await chair.send('remove', { key: aliceKey });
    // Alice's browser learns it was removed: her hub refuses her new comments.
    const aliceView = await eventually(() => alice.send('comments'), (c) => c.role === 'none');
    expect(aliceView.role).toBe('none');
    expect((await alice.send('try-comment', { body: 'After removal' })).refused).toMatch(/not a member/);

    // Bob follows the new secret (sealed to his key) and keeps syncing with the chair.
    expect((await eventually(() => bob.send('epoch'), (e) => e.epoch === 1)).epoch).toBe(1);
    await bob.send('comment', { n: 1 });
    expect((await chair.send('state', { threads: 3, timeout: 30_000 })).threads).toBe(3);
    expect((await bob.send('state', { threads: 3 })).threads).toBe(3);
    await chair.send('comment', { n: 1 });
    expect((await bob.send('state', { threads: 4, timeout: 30_000 })).threads).toBe(4);

    // The group settles: no hub keeps rewriting the directory after the change of secret.
    for (const p of [chair, bob]) expect((await p.send('directory-updates', { ms: 3_000 })).updates).toBe(0);

    // Alice, holding only the old secret, receives none of it.
    await sleep(5_000);
    expect((await alice.send('state', { threads: 3, timeout: 1 })).threads).toBe(2);
    const groups: GroupView[] = await alice.send('groups');
    expect(groups[0].removed).toBe(true);

    // The record keeps what she wrote while a member, under her key.
    const { comments } = await chair.send('comments');
    expect(comments).toContainEqual([aliceKey, 'alice says 0']);
    const [view]: GroupView[] = await chair.send('groups');
    expect(view.members.find((m) => m.key === aliceKey)?.status).toBe('removed');
  }, 180_000);

  peerTest('a member holding the secret cannot block a request, mint members past the invite, borrow the chair\'s name, or forge the directory', async () => {
    const { chair, members: [mallory], invite } = await startReviewRoom(room.url(), 'chair2', ['mallory']);
    peers.push(chair, mallory);
    const [group]: (GroupView & { invites: { id: string }[] })[] = await chair.send('groups');
    const inviteId = group.invites[0].id;

    // Mallory spoils every join request Carol writes; Carol is admitted all the same.
    const carol = await startPeer('carol', room.url());
    peers.push(carol);
    const carolKey = (await carol.send('whoami')).publicKey;
    await mallory.send('jam', { key: carolKey });
    await carol.send('join', { invite });
    await carol.send('await-review');
    await carol.send('await-member');

    // Thirty keys minted with the invite: at most its 25 uses are admitted, none under the chair's name.
    // An invite Mallory never received (she sees only its id in the directory) admits none of her keys.
    const [{ invites: before }]: GroupView[] = await chair.send('groups');
    await chair.send('new-invite', { uses: 1 });
    const [{ invites: withPersonal }]: GroupView[] = await chair.send('groups');
    const personal = withPersonal.find((i) => !before.some((b) => b.id === i.id))!;
    await mallory.send('mint', { inviteId: personal.id, names: ['guess 1', 'guess 2'] });
    await sleep(2_000);
    const [{ members: afterGuess, pending: pendingGuess }]: GroupView[] = await chair.send('groups');
    expect([...afterGuess, ...pendingGuess].map((m) => m.name)).not.toContain('guess 1');

    await mallory.send('mint', { invite, names: ['chair2', 'CHAIR2 ', ...Array.from({ length: 28 }, (_, i) => `sock ${i}`)] });
    const after = await eventually(() => chair.send<GroupView[]>('groups'), (g) => g[0].pending.length >= 5, 30_000);
    const admitted = after[0].members.filter((m) => m.status === 'member');
    expect(admitted.length).toBeLessThanOrEqual(25);
    expect(admitted.map((m) => m.name.trim().toLowerCase())).not.toContain('chair2');
    // Names are shown trimmed, without invisible characters.
    expect(after[0].pending.filter((p) => p.held === 'name-taken').map((p) => p.name)).toEqual(expect.arrayContaining(['chair2', 'CHAIR2']));
    expect(after[0].invites.find((i) => i.id === inviteId)?.used).toBe(admitted.filter((m) => m.name.startsWith('sock') || m.name === 'mallory' || m.name === 'carol').length);

    // A listing Mallory forges is opened by nobody; the listings she deletes come back.
    const { deleted } = await mallory.send('forge-listing');
    expect(deleted).toBe(1);
    await eventually(() => carol.send('listed-count'), (c) => c.n === 2); // the real one put back, and the fake
    expect(await carol.send('find', { canonical: 'http://127.0.0.1/fake' })).toEqual([]);
  }, 180_000);
});
