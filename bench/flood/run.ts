/**
 * `npm run bench:flood`: what a hostile peer and a slow client cost honest users (issue 14).
 *
 * - One-way latency of a comment from the chair's hub to a member's (Node peers, y-webrtc over
 *   @roamhq/wrtc, one process each), 100 comments without a flood, then 100 while a third member
 *   floods the member with Yjs updates as fast as its channel takes them. Same run, ratio printed.
 * - The signaling server's resident memory (its own process, read from /proc) while a client that
 *   stopped reading is subscribed to a room another client publishes 32 KiB messages into as fast
 *   as the server lets it, for 20 s.
 *
 * As root on Linux it runs in a loopback-only network namespace, like the tests.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { startSignalingServer } from '../../server/signaling-server.mjs';
import { startReviewRoom, type Peer } from '../../tests/support/peers';
import { inLoopbackNamespace, median, percentile } from '../support';

inLoopbackNamespace(import.meta.url);

const COMMENTS = 100;

async function latencyUnderFlood(): Promise<void> {
  const signaling = await startSignalingServer({ port: 0, quiet: true });
  const peers: Peer[] = [];
  try {
    const { chair, members } = await startReviewRoom(signaling.url, 'chair', ['member', 'mallory']);
    const [member, mallory] = members;
    peers.push(chair, ...members);
    await member.send('watch');
    await chair.send('send-stamped', { n: COMMENTS, gap: 20 });
    await member.send('time-to', { threads: COMMENTS, timeout: 60_000 });
    const calm = [...(await member.send<{ latencies: number[] }>('arrivals')).latencies];

    const flood = mallory.send<{ sent: number; cut: boolean }>('flood-updates', { ms: 10_000 });
    await new Promise((r) => setTimeout(r, 500));
    await chair.send('send-stamped', { n: COMMENTS, gap: 20 });
    await member.send('time-to', { threads: 2 * COMMENTS, timeout: 120_000 });
    const flooded = (await member.send<{ latencies: number[] }>('arrivals')).latencies.slice(calm.length);
    const { sent, cut } = await flood;
    const room = await member.send<{ problems: { flooded: number } }>('room');

    const a = median(calm);
    const b = median(flooded);
    if (calm.length < COMMENTS || flooded.length < COMMENTS || !(a > 0) || !(b > 0) || sent === 0) throw new Error('no latency measured: the benchmark is broken');
    console.log(`One-way latency, chair to member (Node peers), ${COMMENTS} comments each:`);
    console.log(`  without a flood: p50 ${a.toFixed(1)} ms, p95 ${percentile(calm, 95).toFixed(1)} ms`);
    console.log(`  while a member floods (${sent} updates sent, channel ${cut ? 'cut by the receiver' : 'still open'}; ${room.problems.flooded} refused): p50 ${b.toFixed(1)} ms, p95 ${percentile(flooded, 95).toFixed(1)} ms`);
    console.log(`  ratio of the p50s: ${(b / a).toFixed(2)}×   (target ≤ 2×)`);
  } finally {
    peers.forEach((p) => p.stop());
    await signaling.close();
  }
}

/** VmRSS of a process, in MB. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function signalingMemory(): Promise<void> {
  const script = fileURLToPath(new URL('../../server/signaling-server.mjs', import.meta.url));
  const child = spawn(process.execPath, [script], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const entry = JSON.parse(line) as { event?: string; port?: number };
        if (entry.event === 'listening' && entry.port) resolve(entry.port);
      });
      child.once('exit', () => reject(new Error('the signaling server exited')));
    });
    const url = `ws://127.0.0.1:${port}`;
    const open = (ws: WebSocket) => new Promise((r) => ws.once('open', r));
    const slow = new WebSocket(url);
    const sender = new WebSocket(url);
    await Promise.all([open(slow), open(sender)]);
    let slowClosed = false;
    slow.once('close', () => (slowClosed = true));
    for (const ws of [slow, sender]) ws.send(JSON.stringify({ type: 'subscribe', topics: ['room'] }));
    await new Promise((r) => setTimeout(r, 100));
    (slow as unknown as { _socket: { pause(): void } })._socket.pause();
    const idle = rssMb(child.pid!);
    const data = 'x'.repeat(32 * 1024);
    let peak = idle;
    let published = 0;
    const until = Date.now() + 20_000;
    while (Date.now() < until && sender.readyState === WebSocket.OPEN) {
      // As fast as the server's rate limit lets one connection publish (100 a second).
      for (let i = 0; i < 10; i++, published++) sender.send(JSON.stringify({ type: 'publish', topic: 'room', data }));
      await new Promise((r) => setTimeout(r, 100));
      peak = Math.max(peak, rssMb(child.pid!));
    }
    if (!(peak > 0) || published === 0) throw new Error('no memory figure: the benchmark is broken');
    const health = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { connections: number };
    console.log(`Signaling server with a client that stopped reading, ${published} × 32 KiB published over 20 s:`);
    console.log(`  resident memory idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB   (target < 200 MB); the slow client was ${health.connections === 1 ? 'closed by the server' : 'still connected'}${slowClosed ? '' : ' (it learns once it reads again)'}`);
    slow.terminate();
    sender.terminate();
  } finally {
    child.kill();
  }
}

await latencyUnderFlood();
await signalingMemory();
process.exit(0);
