/**
 * `npm run bench:sync-big`: peer-to-peer figures for a big review (issue 14's targets), with the
 * real hub in Node peers (y-webrtc over @roamhq/wrtc, one process each; tests/support/node-peer.ts):
 * - the chair writes N comments (default 10,000; MARGINS_BENCH_EVENTS) while a member is online;
 * - one-way latency of 50 more comments, chair to member, at that size;
 * - a newcomer joins the group and receives the whole review;
 * - ten writers × 20 concurrent comments on a fresh review converge on every peer.
 * As root on Linux it runs in a loopback-only network namespace, like the tests.
 */
import { startSignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, startReviewRoom, type Peer } from '../../tests/support/peers';
import { inLoopbackNamespace, median, percentile } from '../support';

inLoopbackNamespace(import.meta.url);

const N = Number(process.env.MARGINS_BENCH_EVENTS ?? 10_000);
const signaling = await startSignalingServer({ port: 0, quiet: true });
const all: Peer[] = [];
const within = <T>(p: Promise<T>, ms: number) => Promise.race([p, new Promise<null>((r) => setTimeout(() => r(null), ms))]);

try {
  console.log(`Big-review sync benchmark (Node ${process.version}, loopback), ${N.toLocaleString('en')} comments\n`);
  const { chair, members, invite } = await startReviewRoom(signaling.url, 'chair', ['member']);
  all.push(chair, ...members);
  const [member] = members;
  const written = await chair.send<{ ms: number }>('comment', { n: N });
  const caught = await within(member.send('time-to', { threads: N }), 300_000);
  console.log(`Chair writes ${N} comments one by one: ${(written.ms / 1000).toFixed(1)} s (${(written.ms / N).toFixed(2)} ms each); the online member has them all ${caught ? 'too' : 'NOT within 5 min'}`);

  await member.send('watch');
  await chair.send('send-stamped', { n: 50, gap: 20 });
  await member.send('time-to', { threads: N + 50 });
  const { latencies } = await member.send<{ latencies: number[] }>('arrivals');
  if (latencies.length < 50 || !(median(latencies) > 0)) throw new Error('no latency measured: the benchmark is broken');
  console.log(`One-way latency at ${N} events, 50 comments: p50 ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms   (target: p50 ≤ 20 ms)`);

  const newcomer = await startPeer('newcomer', signaling.url);
  all.push(newcomer);
  const t0 = performance.now();
  await newcomer.send('join', { invite });
  await newcomer.send('await-review');
  const found = performance.now() - t0;
  const first = await within(newcomer.send('time-to', { threads: 1 }), 120_000);
  const firstAt = performance.now() - t0;
  const got = first && (await within(newcomer.send('time-to', { threads: N + 50 }), 120_000));
  console.log(got ? `Newcomer receives the review of ${N + 50} comments: ${(performance.now() - t0).toFixed(0)} ms from joining the group   (target: ≤ 2 s at 10,000)` : `Newcomer did not receive the review within 120 s`);
  console.log(`  of which: admitted and the review listed after ${found.toFixed(0)} ms; the first comment shown after ${firstAt.toFixed(0)} ms`);
  all.forEach((p) => p.stop());
  all.length = 0;

  const ten = await startReviewRoom(signaling.url, 'chair', Array.from({ length: 9 }, (_, i) => `m${i}`));
  const peers = [ten.chair, ...ten.members];
  all.push(...peers);
  const t1 = performance.now();
  await Promise.all(peers.map((p) => p.send('comment', { n: 20 })));
  const appended = performance.now() - t1;
  const converged = await within(Promise.all(peers.map((p) => p.send('time-to', { threads: 200 }))), 120_000);
  console.log(
    converged
      ? `Convergence, 10 writers × 20 concurrent comments: all written after ${appended.toFixed(0)} ms, every peer has all 200 after ${(performance.now() - t1).toFixed(0)} ms   (target: ≤ 3 s)`
      : 'Convergence, 10 writers × 20 comments: not within 120 s',
  );
} finally {
  all.forEach((p) => p.stop());
  await signaling.close();
}
process.exit(0);
