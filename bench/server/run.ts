/**
 * `npm run bench:server`: one signaling instance (its own process, as deployed) carrying 50 groups
 * of 10 peers. The peers are simulated at the protocol level, since what the server carries is
 * signaling, not the peers' WebRTC traffic: each joins its group's directory, handover and review
 * rooms, announces itself, and every pair of a room exchanges an offer and an answer of the size
 * y-webrtc sends (encrypted, so the server relays each to the whole room, as it does in use).
 * Reports, per run: the time until every peer has every message it should, the server's CPU time
 * and its peak resident memory; and the same for one group of 10 in the same process, as the
 * baseline, with the ratio per group. A run where nothing is delivered fails the benchmark.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { median, rng } from '../support';

const GROUPS = Number(process.env.GROUPS ?? 50);
const PEERS = Number(process.env.PEERS ?? 10);
const RUNS = Number(process.env.RUNS ?? 3);
/** An encrypted offer or answer from y-webrtc, base64: about 2.5 KB. */
const HANDSHAKE_BYTES = 2_500;
const ANNOUNCE_BYTES = 300;

const TICKS = 100; // /proc/<pid>/stat counts CPU in clock ticks (USER_HZ)

interface Server {
  url: string;
  pid: number;
  stop(): void;
}

/** The signaling server in a process of its own, with per-address limits raised: every simulated peer comes from 127.0.0.1. */
async function startServer(): Promise<Server> {
  const code = `import('./server/signaling-server.mjs').then((m) => m.startSignalingServer({ port: 0, quiet: false, maxConnectionsPerAddress: 100000, maxTopicsPerAddress: 1000000, logLinesPerSecond: 1 }))`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (c) => reject(new Error(`signaling server exited (${c})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line) as { event: string; port?: number };
      if (m.event === 'listening') resolve(m.port!);
    });
  });
  return { url: `ws://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill() };
}

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.split(/\s+/)[1]) * 1024;
}

const payload = (n: number, r: ReturnType<typeof rng>) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[r.int(0, 63)]).join('');

interface Outcome {
  seconds: number;
  cpu: number;
  rss: number;
  delivered: number;
}

/** `groups` rooms of `peers` peers on `server`: connect, subscribe, announce, handshake every pair. */
async function scenario(server: Server, groups: number, peers: number, seed: number): Promise<Outcome> {
  const r = rng(seed);
  const handshake = payload(HANDSHAKE_BYTES, r);
  const announce = payload(ANNOUNCE_BYTES, r);
  // Per review room: announces (each to the room) and an offer and answer per pair (each to the room).
  const perRoom = peers + peers * (peers - 1);
  const expected = groups * peers * perRoom;
  let delivered = 0;
  let resolveAll!: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));

  const sockets: WebSocket[] = [];
  await Promise.all(
    Array.from({ length: groups * peers }, (_, i) => {
      const socket = new WebSocket(server.url);
      sockets.push(socket);
      const group = Math.floor(i / peers);
      socket.on('message', (raw) => {
        const m = JSON.parse(raw.toString()) as { type: string; topic?: string };
        if (m.type === 'publish' && m.topic === `review-${seed}-${group}` && ++delivered === expected) resolveAll();
      });
      return new Promise<void>((resolve, reject) => {
        socket.once('open', () => {
          socket.send(JSON.stringify({ type: 'subscribe', topics: [`dir-${seed}-${group}`, `handover-${seed}-${group}`, `review-${seed}-${group}`] }));
          resolve();
        });
        socket.once('error', reject);
      });
    }),
  );
  await new Promise((res) => setTimeout(res, 200)); // subscriptions land
  const cpu0 = cpuSeconds(server.pid);
  let rss = rssBytes(server.pid);
  const sampler = setInterval(() => (rss = Math.max(rss, rssBytes(server.pid))), 50);
  const t0 = performance.now();
  for (let g = 0; g < groups; g++) {
    const topic = `review-${seed}-${g}`;
    const room = sockets.slice(g * peers, (g + 1) * peers);
    for (const s of room) s.send(JSON.stringify({ type: 'publish', topic, data: announce }));
    for (let a = 0; a < peers; a++)
      for (let b = a + 1; b < peers; b++) {
        room[a].send(JSON.stringify({ type: 'publish', topic, data: handshake })); // offer
        room[b].send(JSON.stringify({ type: 'publish', topic, data: handshake })); // answer
      }
  }
  const timeout = new Promise<void>((res) => setTimeout(res, 120_000));
  await Promise.race([all, timeout]);
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const cpu = cpuSeconds(server.pid) - cpu0;
  rss = Math.max(rss, rssBytes(server.pid));
  sockets.forEach((s) => s.terminate());
  await new Promise((res) => setTimeout(res, 300));
  if (delivered !== expected) throw new Error(`broken benchmark: ${delivered} of ${expected} messages delivered (${groups} groups × ${peers})`);
  return { seconds, cpu, rss, delivered };
}

const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
const server = await startServer();
try {
  const idle = rssBytes(server.pid);
  const big: Outcome[] = [];
  const base: Outcome[] = [];
  for (let run = 0; run < RUNS; run++) {
    base.push(await scenario(server, 1, PEERS, 100 + run));
    big.push(await scenario(server, GROUPS, PEERS, 200 + run));
  }
  for (const o of [...big, ...base]) if (!(o.seconds > 0) || !(o.delivered > 0) || !(o.cpu > 0)) throw new Error('broken benchmark: a run measured nothing (no time, delivery or server CPU)');
  const m = (xs: Outcome[], f: (o: Outcome) => number) => median(xs.map(f));
  console.log(`One signaling instance (its own process), ${RUNS} runs, medians. Idle: ${mb(idle)} resident.`);
  console.log(`Each peer joins 3 rooms, announces (${ANNOUNCE_BYTES} B), and every pair of a room exchanges an offer and an answer (${HANDSHAKE_BYTES} B each), relayed to the whole room.`);
  for (const [label, xs, groups] of [
    [`baseline: 1 group × ${PEERS} peers`, base, 1],
    [`${GROUPS} groups × ${PEERS} peers`, big, GROUPS],
  ] as const) {
    const delivered = xs[0].delivered;
    console.log(
      `  ${label.padEnd(24)} ${delivered} deliveries (about ${mb(delivered * HANDSHAKE_BYTES)} relayed)   all delivered in ${m(xs, (o) => o.seconds).toFixed(2)} s   server CPU ${m(xs, (o) => o.cpu).toFixed(2)} s   peak RSS ${mb(m(xs, (o) => o.rss))}   (runs: ${xs.map((o) => o.seconds.toFixed(2)).join(', ')} s)`,
    );
    void groups;
  }
  const perGroup = (xs: Outcome[], groups: number) => m(xs, (o) => o.cpu) / groups;
  console.log(`CPU per group: ${(perGroup(big, GROUPS) * 1000).toFixed(0)} ms at ${GROUPS} groups vs ${(perGroup(base, 1) * 1000).toFixed(0)} ms alone (${(perGroup(big, GROUPS) / perGroup(base, 1)).toFixed(2)}×).`);
} finally {
  server.stop();
}
