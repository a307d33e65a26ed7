/**
 * A Margins peer without a browser: the real hub (fake-indexeddb underneath) with y-webrtc over
 * @roamhq/wrtc, driven by JSON lines on stdin and answering on stdout. One process per peer,
 * because y-webrtc keeps one room per name per JavaScript realm.
 *
 * Commands: {"op":"create-group"} {"op":"join","invite"} {"op":"create-review"} {"op":"await-review"}
 * {"op":"comment","n","exact"?,"body"?} {"op":"resolve-all"} {"op":"reopen-all"} {"op":"state","expect"}
 */
import 'fake-indexeddb/auto';
import { createInterface } from 'node:readline';
import wrtc from '@roamhq/wrtc';
import { WebSocket } from 'ws';
import { Hub } from '../../lib/hub/hub';
import { EXTENSION_ACCESS } from '../../lib/hub/port-access';
import { eventLog, randomId, ReviewReplica, type ReviewState } from '../../lib/review';
import { MarginsDB } from '../../lib/store/db';
import { HubClient } from '../../lib/sync/hub-client';
import { portPair } from '../../lib/sync/port';
import { drop, type SignalingRoom } from '../../lib/sync/signaling';
import { WebrtcNetwork } from '../../lib/sync/webrtc-network';
import { syncStep1 } from '../../lib/sync/peer-message';
import { WebrtcProvider } from 'y-webrtc';
import * as Y from 'yjs';
import { roomName, roomPassword } from '../../lib/groups/group';

(globalThis as unknown as { WebSocket: unknown }).WebSocket = WebSocket;
process.on('unhandledRejection', (e) => out({ error: String(e) }));

const CANONICAL = 'http://127.0.0.1/drafts/proposal';
const name = process.env.PEER_NAME ?? 'peer';
const signaling = process.env.SIGNALING!;
const out = (m: unknown) => process.stdout.write(JSON.stringify(m) + '\n');

const network = new WebrtcNetwork({ wrtc });
const hub = await Hub.start(new MarginsDB(`peer-${name}`), Date.now, network);
const client = new HubClient(async () => {
  const [mine, theirs] = portPair();
  hub.connect(theirs, EXTENSION_ACCESS);
  return mine;
}).start();
await client.request('set-name', { name });
let review: string | null = null;
const arrivals: number[] = [];

/** lib0's varUint length, then the bytes (the framing of a Yjs sync message's payload). */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}
/** This peer's view of the review, as its panel holds it: a copy synced with the hub, taking the hub's vouchers. */
let replica: ReviewReplica | null = null;
let deletions = 0;

async function state(): Promise<ReviewState> {
  return replica!.settled();
}

/** Order-independent digest of what a reviewer sees. */
function digest(s: ReviewState) {
  return JSON.stringify({
    threads: s.threads.map((t) => [t.id, t.status, t.disposition ?? null, t.comments.map((c) => c.id + c.body)]).sort(),
    members: Object.values(s.members).map((m) => m.key + m.role).sort(),
  });
}

/** The group's shared directory doc, as this peer's hub holds it. */
function directory(): Y.Doc {
  const live = (hub.groups as unknown as { live: Map<string, { dir: Y.Doc }> }).live;
  return [...live.values()][0].dir;
}

async function reviewRoom(): Promise<SignalingRoom> {
  const group = (await hub.db.groups.toArray())[0];
  const providers = (network as unknown as { providers: Map<string, { room: SignalingRoom }> }).providers;
  return providers.get(`${group.id}/${review}`)!.room;
}

const handlers: Record<string, (cmd: Record<string, unknown>) => Promise<unknown>> = {
  'create-group': async () => client.request('create-group', { name: 'Node WG', signaling: [signaling], iceServers: [] }),
  join: async (cmd) => client.request('join-group', { invite: String(cmd.invite), name }),
  'create-review': async () => {
    const { id } = await client.request('create', { nonce: randomId(), title: 'Draft', url: CANONICAL, canonical: CANONICAL });
    review = id;
    replica = new ReviewReplica(client.review(id), id, client.vouchersFor(id));
    return { id };
  },
  'await-review': async (cmd) => {
    for (;;) {
      const found = await client.request('find', { canonical: String(cmd.canonical ?? CANONICAL) });
      if (found.length) {
        review = found[0].id;
        replica = new ReviewReplica(client.review(review), review, client.vouchersFor(review));
        return { id: review };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  'await-member': async () => {
    const me = (await client.request('whoami', {})).publicKey;
    for (;;) {
      const s = await state();
      if (s.members[me] && s.members[me].role !== 'none') return { ok: true };
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  comment: async (cmd) => {
    const n = Number(cmd.n ?? 1);
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await client.request('append', {
        review: review!,
        id: randomId(),
        body: { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: String(cmd.exact ?? `passage ${name} ${i}`) } }, body: String(cmd.body ?? `${name} says ${i}`) },
      });
    }
    return { ms: performance.now() - t0 };
  },
  'resolve-all': async () => {
    for (const t of (await state()).threads.filter((x) => x.status === 'open')) {
      await client.request('append', { review: review!, id: randomId(), body: { type: 'thread.resolve', thread: t.id, disposition: 'noted', note: 'seen' } }).catch(() => {});
    }
    return {};
  },
  'reopen-own': async () => {
    const me = (await client.request('whoami', {})).publicKey;
    // Reopen only once the chair's resolutions of this peer's threads have arrived; otherwise a
    // slow peer would reopen nothing and the scenario would not test the conflict it is about.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const mine = (await state()).threads.filter((x) => x.author === me);
      if (mine.length && mine.every((t) => t.status === 'resolved')) break;
    }
    for (const t of (await state()).threads.filter((x) => x.author === me && x.status === 'resolved')) {
      await client.request('append', { review: review!, id: randomId(), body: { type: 'thread.reopen', thread: t.id } }).catch(() => {});
    }
    return {};
  },
  /** Waits until this peer sees `expect` threads, then returns its digest. */
  state: async (cmd) => {
    const want = Number(cmd.threads ?? 0);
    const deadline = Date.now() + Number(cmd.timeout ?? 60_000);
    for (;;) {
      const s = await state();
      if (s.threads.length >= want || Date.now() > deadline) return { threads: s.threads.length, digest: digest(s), rejected: s.rejected.length };
      await new Promise((r) => setTimeout(r, 100));
    }
  },
  /** Sends n comments `gap` ms apart, each stamped with the wall-clock time it was handed to the hub. */
  'send-stamped': async (cmd) => {
    for (let i = 0; i < Number(cmd.n); i++) {
      await client.request('append', {
        review: review!,
        id: randomId(),
        body: { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: `stamp ${i}` } }, body: `stamp:${performance.timeOrigin + performance.now()}` },
      });
      await new Promise((r) => setTimeout(r, Number(cmd.gap ?? 20)));
    }
    return {};
  },
  /** Starts recording when stamped comments arrive in this peer's hub. */
  watch: async () => {
    const doc = client.review(review!);
    arrivals.length = 0;
    doc.getArray('events').observe((e) => {
      const now = performance.timeOrigin + performance.now();
      for (const item of e.changes.added) {
        for (const env of item.content.getContent() as { p: string }[]) {
          const m = /"body":"stamp:([0-9.]+)"/.exec(env.p);
          if (m) arrivals.push(now - Number(m[1]));
        }
      }
    });
    return {};
  },
  arrivals: async () => ({ latencies: arrivals }),
  /** Milliseconds until this peer sees `threads` threads. */
  /**
   * Writes n comments in batches of 1,000 signed events, each batch one append to the shared log
   * (the hub's own path for a batch, as for role grants): a benchmark's big review, made in
   * seconds rather than one request at a time.
   */
  'comment-bulk': async (cmd) => {
    const n = Number(cmd.n ?? 1);
    const t0 = performance.now();
    const inner = hub as unknown as { open(id: string): Promise<unknown>; appendAll(review: unknown, bodies: unknown[]): Promise<void> };
    const open = await inner.open(review!);
    for (let done = 0; done < n; done += 1_000) {
      const bodies = Array.from({ length: Math.min(1_000, n - done) }, (_, k) => ({
        type: 'comment.add',
        anchor: { quote: { type: 'TextQuoteSelector', exact: `passage ${name} ${done + k}` } },
        body: `${name} says ${done + k}`,
      }));
      await inner.appendAll(open, bodies);
    }
    return { ms: performance.now() - t0 };
  },
  /** This process's memory (after a collection, where the process allows one). */
  memory: async () => {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },
  /** Waits until this peer holds `threads` threads; says how long, and how many pieces of states peers announced to it. */
  'time-to': async (cmd) => {
    const t0 = performance.now();
    const want = Number(cmd.threads);
    for (;;) {
      if (replica && (await replica.state()).threads.length >= want) return { ms: performance.now() - t0, pieces: network.piecesAnnounced };
      await new Promise((r) => setTimeout(r, 20));
    }
  },
  /**
   * What this peer has and lacks, for a scenario step that timed out: its links (signaling, the
   * directory room, the review room), whether it found the review and was admitted, and the
   * comments it holds (by their quote).
   */
  diagnose: async () => {
    const group = (await hub.db.groups.toArray())[0];
    const link = (key: string | null) => {
      if (!group || !key) return null;
      const { peers, connecting, stalled, signaling } = network.status(group, key);
      return { peers, connecting, stalled, signaling };
    };
    const s = replica ? await state() : null;
    const me = (await client.request('whoami', {})).publicKey;
    return {
      dir: link('dir'),
      room: link(review),
      review: Boolean(review),
      role: s?.members[me]?.role ?? 'none',
      quotes: s ? s.threads.map((t) => t.anchor.quote.exact) : [],
      digest: s ? digest(s) : '',
    };
  },
  peers: async () => ({ peers: network.status((await hub.db.groups.toArray())[0], review!).peers }),
  /** The room as the sidebar sees it: presence and dropped messages, plus the fold's rejections. */
  room: async () => ({
    ...network.status((await hub.db.groups.toArray())[0], review!),
    rejected: (await state()).rejected.map((r) => r.reason),
    decryptFailures: network.decryptFailures,
  }),
  /** What an outsider needs to find the room: its name. (The password stays with the group.) */
  'room-name': async () => ({ room: await roomName((await hub.db.groups.toArray())[0].secret, review!) }),
  /** Joins a room by name with a password of its own making, and reports what it received. */
  eavesdrop: async (cmd) => {
    const doc = new Y.Doc();
    const provider = new WebrtcProvider(String(cmd.room), doc, {
      signaling: [signaling],
      password: await roomPassword('a guess at the secret'),
      peerOpts: { wrtc },
    } as never);
    await new Promise((r) => setTimeout(r, Number(cmd.ms ?? 5000)));
    const seen = { events: doc.getArray('events').length, updateBytes: Y.encodeStateAsUpdate(doc).length, connected: [...(provider as any).room.webrtcConns.values()].filter((c: any) => c.connected).length };
    provider.destroy();
    return seen;
  },
  /** Starts counting the log entries deleted in this peer's view of the review (a surface's doc). */
  'watch-deletions': async () => {
    deletions = 0;
    eventLog(client.review(review!)).observe((e) => (deletions += e.changes.deleted.size));
    return {};
  },
  deletions: async () => ({ deletions }),
  /** What any holder of the secret can do to the shared document: delete the whole event log. */
  erase: async () => {
    const log = eventLog(client.review(review!));
    const n = log.length;
    log.delete(0, n);
    return { deleted: n };
  },
  whoami: async () => client.request('whoami', {}),
  /** How many role grants the review's log holds for each subject (each should be written once). */
  grants: async () => {
    const counts: Record<string, number> = {};
    for (const raw of eventLog(client.review(review!)).toArray()) {
      const e = JSON.parse((raw as { p: string }).p).e;
      if (e.type === 'role.grant') counts[e.subject] = (counts[e.subject] ?? 0) + 1;
    }
    return counts;
  },
  /**
   * Claims someone else's presence in the review room: `forge` names another key with a made-up
   * signature; `replay` copies another peer's own signed presence as this peer's.
   */
  'claim-presence': async (cmd) => {
    const group = (await hub.db.groups.toArray())[0];
    const providers = (network as unknown as { providers: Map<string, WebrtcProvider> }).providers;
    const awareness = providers.get(`${group.id}/${review}`)!.awareness;
    const other = [...awareness.getStates()].find(([id, st]) => id !== awareness.clientID && (st as { viewer?: unknown }).viewer)?.[1] as { viewer: { key: string; name: string; sig: string } } | undefined;
    if (!other) throw new Error('nobody else is present to impersonate');
    awareness.setLocalState(cmd.mode === 'replay' ? { viewer: other.viewer } : { viewer: { key: other.viewer.key, name: other.viewer.name, sig: 'A'.repeat(86) } });
    return { claimed: other.viewer.name };
  },
  /** How many times this peer's group secret changed. */
  epoch: async () => ({ epoch: (await hub.db.groups.toArray())[0].epoch }),
  groups: async () => client.request('groups', {}),
  'new-invite': async (cmd) => client.request('invite', { group: (await hub.db.groups.toArray())[0].id, days: 14, uses: cmd.uses === undefined ? 25 : Number(cmd.uses) }),
  'set-admission': async (cmd) => client.request('set-admission', { group: (await hub.db.groups.toArray())[0].id, mode: cmd.mode as 'auto' | 'approve' }),
  remove: async (cmd) => client.request('remove-member', { group: (await hub.db.groups.toArray())[0].id, key: String(cmd.key) }),
  /** Who wrote what, as this peer sees the review: [author key, body] per comment, and its own role. */
  comments: async () => {
    const s = await state();
    const me = (await client.request('whoami', {})).publicKey;
    return { comments: s.threads.flatMap((t) => t.comments.map((c) => [c.author, c.body])), role: s.members[me]?.role ?? 'none' };
  },
  /** Tries to comment; the hub's refusal, if any. */
  'try-comment': async (cmd) =>
    client
      .request('append', { review: review!, id: randomId(), body: { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'x' } }, body: String(cmd.body) } })
      .then(() => ({ refused: null }), (e: Error) => ({ refused: e.message })),
  /** What a member with the secret can do to the directory: mint join requests under fresh keys. */
  mint: async (cmd) => {
    const { generateIdentity } = await import('../../lib/identity');
    const { joinProof, ticketOf } = await import('../../lib/groups/group');
    const { signRecord } = await import('../../lib/groups/records');
    const { readInvite } = await import('../../lib/groups/invite');
    const group = (await hub.db.groups.toArray())[0];
    const dir = directory();
    // With the invite code in hand (its token), or only its id as the directory shows it (a guess at the token).
    const { id: invite, token } = cmd.invite ? (await readInvite(String(cmd.invite))).invite : { id: String(cmd.inviteId), token: 'A'.repeat(22) };
    const names = cmd.names as string[];
    for (const n of names) {
      const id = await generateIdentity();
      const record = { kind: 'join' as const, group: group.id, key: id.publicKey, name: n, agree: id.agreement.publicKey, invite, proof: await joinProof(group.secret, group.id, id.publicKey), ticket: await ticketOf(token, group.id, id.publicKey), at: Date.now() };
      dir.getMap('join').set(id.publicKey, await signRecord(id, record));
    }
    return { minted: names.length };
  },
  /** Overwrites someone's join request with junk every time it changes (they must still get in). */
  jam: async (cmd) => {
    const key = String(cmd.key);
    const map = directory().getMap('join');
    const spoil = () => {
      const cur = map.get(key) as { p?: string } | undefined;
      if (!cur || cur.p !== 'jammed') map.set(key, { p: 'jammed', s: 'AAAA' });
    };
    map.observe(spoil);
    spoil();
    return {};
  },
  /** Lists a review the chair never listed, and deletes every real listing. */
  'forge-listing': async () => {
    const map = directory().getMap('reviews');
    const real = [...map.keys()];
    for (const k of real) map.delete(k);
    const chairKeyId = real[0].split('.')[0];
    map.set(`${chairKeyId}.fake-review-id`, { p: JSON.stringify({ kind: 'listing', group: (await hub.db.groups.toArray())[0].id, review: `${chairKeyId}.fake-review-id`, title: 'Fake', url: 'http://127.0.0.1/fake', canonical: 'http://127.0.0.1/fake' }), s: 'AAAA' });
    return { deleted: real.length };
  },
  /** How many updates the group's directory and handover docs receive in `ms` (a quiet group: none). */
  'directory-updates': async (cmd) => {
    const live = (hub.groups as unknown as { live: Map<string, { dir: Y.Doc; handover: Y.Doc }> }).live;
    const { dir, handover } = [...live.values()][0];
    let n = 0;
    const count = () => n++;
    dir.on('update', count);
    handover.on('update', count);
    await new Promise((r) => setTimeout(r, Number(cmd.ms ?? 3000)));
    dir.off('update', count);
    handover.off('update', count);
    return { updates: n };
  },
  'listed-count': async () => ({ n: directory().getMap('reviews').size }),
  find: async (cmd) => client.request('find', { canonical: String(cmd.canonical) }),
  /** This peer's id in the review room (y-webrtc's, new for each session). */
  'room-peer-id': async () => ({ id: (await reviewRoom()).peerId }),
  /**
   * Stops talking to one peer of the review room, as a pair of peers behind NATs that cannot
   * reach each other would: drops the connection and refuses every new one to that peer.
   */
  refuse: async (cmd) => {
    const room = await reviewRoom();
    const peerId = String(cmd.peerId);
    const set = room.webrtcConns.set.bind(room.webrtcConns);
    room.webrtcConns.set = (id, conn) => {
      if (id !== peerId) return set(id, conn);
      conn.closed = true;
      conn.destroy();
      return room.webrtcConns;
    };
    const conn = room.webrtcConns.get(peerId);
    if (conn) drop(room, peerId, conn);
    return {};
  },
  /**
   * Misbehaves towards every connected peer: an update Yjs cannot read, the first fragment of a
   * message claiming to be 32 MiB, and a comment whose signature was tampered with after signing.
   */
  /**
   * Asks every connected peer for the whole state `n` times, as fast as the event loop allows; how
   * many bytes came back in 3 s. Sent in bursts of ten, each after the loop has had a turn, and not
   * on a channel the receiver has closed: @roamhq/wrtc crashed this process (SIGSEGV, about one run
   * in ten) when a `send` met the receiver's cut half-way through 300 sends made in one go.
   */
  'flood-state-requests': async (cmd) => {
    const n = Number(cmd.n);
    const group = (await hub.db.groups.toArray())[0];
    const providers = (network as unknown as { providers: Map<string, { doc: Y.Doc; room: { webrtcConns: Map<string, { peer: { connected: boolean; send(d: Uint8Array): void; on(e: 'data', f: (d: Uint8Array) => void): void; on(e: 'close', f: () => void): void } }> } }> }).providers;
    const provider = providers.get(`${group.id}/${review}`)!;
    const conns = [...provider.room.webrtcConns.values()];
    let received = 0;
    let cut = false;
    for (const c of conns) {
      c.peer.on('data', (d) => (received += d.length));
      c.peer.on('close', () => (cut = true)); // the other side closed the channel: it had enough
    }
    const ask = syncStep1(provider.doc);
    let sent = 0;
    try {
      for (let i = 0; i < n && !cut; i++) {
        if (i % 10 === 0) await new Promise((r) => setImmediate(r));
        for (const c of conns) if (!cut && c.peer.connected) (c.peer.send(ask), sent++);
      }
    } catch {
      cut = true;
    }
    await new Promise((r) => setTimeout(r, 3_000));
    return { peers: conns.length, sent, cut, received, stateBytes: Y.encodeStateAsUpdate(provider.doc).length };
  },
  /**
   * Sends every connected peer Yjs updates that change nothing, as fast as its channel takes them,
   * for `ms` milliseconds: the receiver decodes each one. Returns how many went out and whether a
   * peer cut the channel.
   */
  'flood-updates': async (cmd) => {
    const group = (await hub.db.groups.toArray())[0];
    const providers = (network as unknown as { providers: Map<string, { room: { webrtcConns: Map<string, { peer: { send(d: Uint8Array): void } }> } }> }).providers;
    const conns = [...providers.get(`${group.id}/${review}`)!.room.webrtcConns.values()];
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    const message = Uint8Array.from([0, 2, ...lengthPrefixed(empty)]); // sync · update
    const until = performance.now() + Number(cmd.ms);
    let sent = 0;
    let cut = false;
    while (performance.now() < until && !cut) {
      try {
        for (let i = 0; i < 200; i++) for (const c of conns) (c.peer.send(message), sent++);
      } catch {
        cut = true; // the other side closed the channel
      }
      await new Promise((r) => setImmediate(r));
    }
    return { sent, cut };
  },
  misbehave: async () => {
    const group = (await hub.db.groups.toArray())[0];
    const providers = (network as unknown as { providers: Map<string, { room: { webrtcConns: Map<string, { peer: { send(d: Uint8Array): void } }> } }> }).providers;
    const conns = [...providers.get(`${group.id}/${review}`)!.room.webrtcConns.values()];
    const garbage = Uint8Array.from([0, 2, 6, 250, 251, 252, 253, 254, 255]); // sync · update · 6 bytes of noise
    const liar = new Uint8Array(64);
    liar[0] = 0xff; // a fragment header: id 1, index 0, count 2048 (× 16 KiB)
    new DataView(liar.buffer).setUint16(7, 2048);
    for (const c of conns) {
      c.peer.send(garbage);
      c.peer.send(liar);
    }
    const doc = client.review(review!);
    const before = doc.getArray('events').length;
    await client.request('append', { review: review!, id: randomId(), body: { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: 'forged' } }, body: 'signed, then altered' } });
    await new Promise((r) => setTimeout(r, 200));
    const events = doc.getArray<{ p: string; s: string }>('events');
    const mine = events.get(before);
    // Same signature, other words and another id: a peer passing off words as someone's.
    events.push([{ p: mine.p.replace('signed, then altered', 'words never signed').replace(/"id":"[^"]+"/, '"id":"forged1"'), s: mine.s }]);
    return { peers: conns.length };
  },
};

createInterface({ input: process.stdin }).on('line', async (line) => {
  const cmd = JSON.parse(line) as { op: string; seq: number };
  try {
    out({ seq: cmd.seq, ok: true, value: await handlers[cmd.op](cmd) });
  } catch (error) {
    out({ seq: cmd.seq, ok: false, error: (error as Error).message });
  }
}).on('close', () => process.exit(0)); // the test process is gone: so is its peer
process.on('SIGTERM', () => process.exit(0));
out({ ready: true });
