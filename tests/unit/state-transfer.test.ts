/**
 * A large state between two peers (lib/sync/state-transfer.ts through fragmentPeer): it arrives in
 * pieces that are each small, with progress, paced by the sender's channel buffer, and the peer's
 * state requests meanwhile get no second whole state. The y-protocols sync handlers stand in for
 * y-webrtc's; the channel is an in-memory wire with a buffer that drains over time.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { CHUNK, fragmentPeer } from '../../lib/sync/fragments';
import { syncStep1 } from '../../lib/sync/peer-message';
import { FLOWING_MS, HELD_BACK_MS, IncomingStates, STATE_PIECE, type Receiving } from '../../lib/sync/state-transfer';

/** One side of a wire: what it sends reaches the other side's listeners once the bytes before it drained, at 10 KB a millisecond. */
class FakePeer {
  other!: FakePeer;
  private handlers: ((d: Uint8Array) => void)[] = [];
  buffered = 0;
  maxBuffered = 0;
  frames: Uint8Array[] = [];

  send(data: Uint8Array): void {
    this.frames.push(data);
    this.buffered += data.length;
    this.maxBuffered = Math.max(this.maxBuffered, this.buffered);
    setTimeout(() => {
      this.buffered -= data.length;
      for (const h of this.other.handlers) h(data);
    }, Math.ceil(this.buffered / 10_000));
  }
  get bufferSize(): number {
    return this.buffered;
  }
  listeners(): ((d: Uint8Array) => void)[] {
    return [...this.handlers];
  }
  removeAllListeners(): void {
    this.handlers = [];
  }
  on(_: 'data', fn: (d: Uint8Array) => void): void {
    this.handlers.push(fn);
  }
}

/** What y-webrtc does with a sync message: reads it into the doc and sends the reply, if any. */
function yWebrtcLike(peer: FakePeer, doc: Y.Doc, seen: number[]) {
  peer.on('data', (data) => {
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    seen.push(syncProtocol.readSyncMessage(decoder, encoder, doc, 'peer'));
    if (encoding.length(encoder) > 1) peer.send(encoding.toUint8Array(encoder));
  });
}

describe('a large state between peers', () => {
  it('arrives in bounded pieces, with progress, paced by the channel, asked for once', async () => {
    const big = new Y.Doc();
    const log = big.getArray<{ p: string; s: string }>('events');
    for (let i = 0; i < 6_000; i++) log.push([{ p: `{"n":${i},"body":"${'x'.repeat(300)}"}`, s: 'S'.repeat(86) }]);
    const newcomer = new Y.Doc();
    const [a, b] = [new FakePeer(), new FakePeer()];
    a.other = b;
    b.other = a;
    const asked: number[] = [];
    yWebrtcLike(a, big, asked);
    const steps: number[] = [];
    yWebrtcLike(b, newcomer, steps);
    const progress: (Receiving | null)[] = [];
    fragmentPeer(a);
    fragmentPeer(b, { receiving: (p) => progress.push(p) });

    b.send(syncStep1(newcomer));
    // The newcomer's periodic resync asks again while the state is on its way: not answered twice.
    await vi.waitFor(() => expect(progress.length).toBeGreaterThan(2));
    b.send(syncStep1(newcomer));
    await vi.waitFor(() => expect(newcomer.getArray('events').length).toBe(6_000), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    expect(asked).toEqual([syncProtocol.messageYjsSyncStep1]);

    const whole = Y.encodeStateAsUpdate(big).length;
    expect(whole).toBeGreaterThan(8 * STATE_PIECE);
    const total = progress[0]!.total;
    expect(total).toBeGreaterThanOrEqual(Math.floor(whole / STATE_PIECE));
    expect(progress.slice(0, -1).map((p) => p!.done)).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(progress.at(-1)).toBeNull();
    // Every piece was a Yjs update but the last, the state answer y-webrtc marks a peer synced by.
    expect(steps.filter((s) => s === syncProtocol.messageYjsUpdate)).toHaveLength(total - 1);
    expect(steps.filter((s) => s === syncProtocol.messageYjsSyncStep2)).toHaveLength(1);
    // Frames on the wire stay small, and the sender's buffer stayed near its mark, not at the whole state.
    expect(Math.max(...a.frames.map((f) => f.length))).toBeLessThanOrEqual(CHUNK + 9);
    expect(a.maxBuffered).toBeLessThan(2 * 1024 * 1024);
    expect(newcomer.getArray('events').get(5_999)).toEqual(log.get(5_999));
  });

  it('comes whole from one peer when two answer at once: the other is told its pieces are not needed', async () => {
    const holders = [new Y.Doc(), new Y.Doc()];
    const log = holders[0].getArray<{ p: string; s: string }>('events');
    for (let i = 0; i < 12_000; i++) log.push([{ p: `{"n":${i},"body":"${'x'.repeat(300)}"}`, s: 'S'.repeat(86) }]);
    Y.applyUpdate(holders[1], Y.encodeStateAsUpdate(holders[0]));
    const newcomer = new Y.Doc();
    // What WebrtcNetwork keeps per room: whose state is coming in pieces, and who was held back.
    const coming = new Map<number, Receiving>();
    const incoming = new IncomingStates();
    const wires = holders.map((holder, k) => {
      const [theirs, mine] = [new FakePeer(), new FakePeer()];
      theirs.other = mine;
      mine.other = theirs;
      yWebrtcLike(theirs, holder, []);
      yWebrtcLike(mine, newcomer, []);
      fragmentPeer(theirs);
      fragmentPeer(mine, {
        receiving: (p) => {
          if (p) coming.set(k, p);
          else coming.delete(k);
          incoming.progress(String(k), p);
        },
        holdBack: () => incoming.holdBack(String(k)),
      });
      return { theirs, mine };
    });
    // The newcomer meets both at once, and asks each for what it lacks.
    for (const { mine } of wires) mine.send(syncStep1(newcomer));
    await vi.waitFor(() => expect(newcomer.getArray('events').length).toBe(12_000), { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 200));
    const sent = wires.map(({ theirs }) => theirs.frames.reduce((n, f) => n + f.length, 0));
    const whole = Y.encodeStateAsUpdate(holders[0]).length;
    // One peer sent the whole state; the other stopped once its channel's buffer (1 MB) had gone.
    expect(Math.max(...sent)).toBeGreaterThan(whole);
    expect(Math.min(...sent)).toBeLessThan(1024 * 1024 + 2 * STATE_PIECE);
    expect(Math.min(...sent)).toBeLessThan(whole / 2);
    expect(coming.size).toBe(0);
    // The one told to stop is not asked again at once, and still answers whatever is asked of it later.
    const stopped = sent.indexOf(Math.min(...sent));
    expect(incoming.mayAsk(String(stopped))).toBe(false);
    expect(incoming.mayAsk(String(stopped), Date.now() + HELD_BACK_MS)).toBe(true);
    holders[stopped].getArray('events').push([{ p: 'late', s: 'S' }]);
    wires[stopped].mine.send(syncStep1(newcomer));
    await vi.waitFor(() => expect(newcomer.getArray('events').length).toBe(12_001));
  }, 30_000);
});

describe('a peer that announces a state and sends nothing', () => {
  it('holds nobody back: the state comes from an honest peer', async () => {
  const holder = new Y.Doc();
  for (let i = 0; i < 6_000; i++) holder.getArray('events').push([{ p: `{"n":${i},"body":"${'x'.repeat(300)}"}`, s: 'S'.repeat(86) }]);
  const newcomer = new Y.Doc();
  const incoming = new IncomingStates();
  const [hostile, honest] = ['hostile', 'honest'].map((name) => {
    const [theirs, mine] = [new FakePeer(), new FakePeer()];
    theirs.other = mine;
    mine.other = theirs;
    yWebrtcLike(mine, newcomer, []);
    fragmentPeer(theirs);
    fragmentPeer(mine, { receiving: (p) => incoming.progress(name, p), holdBack: () => incoming.holdBack(name) });
    return { theirs, mine };
  });
  yWebrtcLike(honest.theirs, holder, []);
  // The hostile peer announces a million pieces at once, and never sends one.
  hostile.theirs.send(Uint8Array.of(0xfe, 0, 0x0f, 0x42, 0x40));
  await new Promise((r) => setTimeout(r, 20));
  honest.mine.send(syncStep1(newcomer));
  await vi.waitFor(() => expect(newcomer.getArray('events').length).toBe(6_000), { timeout: 10_000 });
  expect(honest.theirs.frames.reduce((n, f) => n + f.length, 0)).toBeGreaterThan(Y.encodeStateAsUpdate(holder).length);
  });
});

describe('which peer a state is taken from', () => {
  const piece = (done: number) => ({ done, total: 20 });

  it('takes the state whose first piece came first, holds each other peer back once, and never on an announcement alone', () => {
    const states = new IncomingStates();
    // An announcement alone (a peer that never sends) holds nobody back.
    states.progress('hostile', piece(0), 0);
    expect(states.holdBack('honest', 10)).toBe(false);
    // Pieces coming from one peer: another's state is not needed, announced or already coming...
    states.progress('first', piece(1), 100);
    expect(states.holdBack('first', 100)).toBe(false);
    expect(states.holdBack('second', 200)).toBe(true);
    states.progress('third', piece(1), 300);
    expect(states.holdBack('third', 300)).toBe(true);
    // ...but each only once: asked again later, its state is taken even if the first still trickles.
    states.progress('first', piece(2), 1_000);
    expect(states.holdBack('second', 1_100)).toBe(false);
    // Pieces that stopped coming hold nobody back.
    expect(states.holdBack('fourth', 1_000 + FLOWING_MS)).toBe(false);
  });

  it('asks a held-back peer again after a while, and forgets peers that left', () => {
    const states = new IncomingStates();
    states.progress('first', piece(1), 0);
    expect(states.holdBack('second', 0)).toBe(true);
    expect(states.mayAsk('first', 0)).toBe(true);
    expect(states.mayAsk('second', HELD_BACK_MS - 1)).toBe(false);
    expect(states.mayAsk('second', HELD_BACK_MS)).toBe(true);
    // All in from the first: nothing holds anyone back any more.
    states.progress('first', null, 10);
    expect(states.holdBack('third', 20)).toBe(false);
    states.retain((peer) => peer !== 'second');
    expect(states.mayAsk('second', 1)).toBe(true);
  });
});
