/**
 * `npm run bench:sync-huge`: a review of 100,000 events (MARGINS_BENCH_EVENTS) reaches a newcomer,
 * in pieces, with progress (issue 14). Real hubs in Node peers over y-webrtc and @roamhq/wrtc, one
 * process each (tests/support/node-peer.ts). The chair writes the comments in signed batches of
 * 1,000; a newcomer then joins the group and receives the whole review. Printed: the time from
 * joining to holding every comment, how many pieces the state came in, and the newcomer's memory
 * per event, beside the baseline of plain Yjs
 * (the same number of comment-sized entries in a Y.Array, measured in this process).
 * As root on Linux it runs in a loopback-only network namespace, like the tests.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as Y from 'yjs';
import { startSignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, startReviewRoom, type Peer } from '../../tests/support/peers';
import { inLoopbackNamespace } from '../support';

inLoopbackNamespace(import.meta.url);
process.env.PEER_NODE_ARGS = '--expose-gc --max-old-space-size=8192';

const N = Number(process.env.MARGINS_BENCH_EVENTS ?? 100_000);
const signaling = await startSignalingServer({ port: 0, quiet: true });
const all: Peer[] = [];
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms))]);
const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Heap per entry of a plain Y.Array of N comment-sized maps (an envelope is about this size). */
function plainYjsBytesPerEvent(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const doc = new Y.Doc();
  const log = doc.getArray<{ p: string; s: string }>('events');
  for (let i = 0; i < N; i += 1_000) {
    log.push(Array.from({ length: 1_000 }, (_, k) => ({ p: `{"t":"comment.add","n":${i + k},"body":"chair says ${i + k}"}`.padEnd(420, ' '), s: 'S'.repeat(86) })));
  }
  gc();
  const per = (process.memoryUsage().heapUsed - before) / N;
  if (!(log.length === N)) throw new Error('baseline built nothing');
  return per;
}

try {
  console.log(`Huge-review sync benchmark (Node ${process.version}, loopback), ${N.toLocaleString('en')} comments\n`);
  const { chair, invite } = await startReviewRoom(signaling.url, 'chair', []);
  all.push(chair);
  const written = await chair.send<{ ms: number }>('comment-bulk', { n: N });
  const chairMemory = await chair.send<{ rss: number; heapUsed: number }>('memory');
  console.log(`Chair writes ${N.toLocaleString('en')} comments in signed batches: ${(written.ms / 1000).toFixed(1)} s; chair's heap ${MB(chairMemory.heapUsed)}, RSS ${MB(chairMemory.rss)}`);

  const newcomer = await startPeer('newcomer', signaling.url);
  all.push(newcomer);
  const idle = await newcomer.send<{ rss: number; heapUsed: number }>('memory');
  const t0 = performance.now();
  await newcomer.send('join', { invite });
  await newcomer.send('await-review');
  const got = await within(newcomer.send<{ ms: number; pieces: number }>('time-to', { threads: N }), 900_000);
  if (!got) throw new Error(`the newcomer did not receive the review of ${N} comments within 15 minutes`);
  const ms = performance.now() - t0;
  const held = await newcomer.send<{ rss: number; heapUsed: number }>('memory');
  const perEvent = (held.heapUsed - idle.heapUsed) / N;
  const baseline = plainYjsBytesPerEvent();
  if (!(perEvent > 0) || !(baseline > 0) || !(got.pieces > 0)) throw new Error(`nothing measured (memory ${perEvent}, baseline ${baseline}, pieces ${got.pieces}): the benchmark is broken`);
  console.log(`Newcomer receives the review of ${N.toLocaleString('en')} comments: ${(ms / 1000).toFixed(1)} s from joining the group`);
  console.log(`  in ${got.pieces} pieces announced to the newcomer`);
  console.log(`  newcomer's heap: ${MB(idle.heapUsed)} before joining, ${MB(held.heapUsed)} after (RSS ${MB(held.rss)})`);
  console.log(`  memory per event: ${perEvent.toFixed(0)} bytes; plain Yjs, the same entries in a Y.Array: ${baseline.toFixed(0)} bytes (${(perEvent / baseline).toFixed(1)}×)`);
} finally {
  all.forEach((p) => p.stop());
  await signaling.close();
}
process.exit(0);
