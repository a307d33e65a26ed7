/**
 * `npm run bench:sync`: peer-to-peer figures on loopback:
 * - one-way latency of an edit from one browser to another (two Chromium processes with the built
 *   extension, p50/p95 over 100 edits), and the same between the hubs of two Node peers;
 * and, with the real hub in Node peers (y-webrtc over @roamhq/wrtc, one process each;
 * tests/support/node-peer.ts):
 * - time for a newcomer to receive a review of 1,000 comments;
 * - convergence of 10 peers × 50 concurrent comments.
 * As root on Linux it runs in a loopback-only network namespace, like the tests.
 */
import { startSignalingServer } from '../../server/signaling-server.mjs';
import { startPeer, startReviewRoom, type Peer } from '../../tests/support/peers';
import { inLoopbackNamespace, median, percentile } from '../support';
import { browserLatency } from './browsers';

inLoopbackNamespace(import.meta.url);

const signaling = await startSignalingServer({ port: 0, quiet: true });
const all: Peer[] = [];
async function room(n: number) {
  const started = await startReviewRoom(signaling.url, 'chair', Array.from({ length: n - 1 }, (_, i) => `m${i}`));
  all.push(started.chair, ...started.members);
  return started;
}

try {
  console.log(`Sync benchmark (Node ${process.version}, loopback)\n`);
  const inBrowsers = await browserLatency(signaling.url);
  console.log(`One-way latency, browser to browser (two Chromium processes), ${inBrowsers.length} edits: p50 ${median(inBrowsers).toFixed(1)} ms, p95 ${percentile(inBrowsers, 95).toFixed(1)} ms   (target: p50 < 20 ms)`);
  const { chair, members, invite } = await room(2);
  await members[0].send('watch');
  await chair.send('send-stamped', { n: 100, gap: 20 });
  await members[0].send('time-to', { threads: 100 });
  const { latencies } = await members[0].send<{ latencies: number[] }>('arrivals');
  console.log(`One-way latency, hub to hub (Node peers), ${latencies.length} edits: p50 ${median(latencies).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms   (target: p50 < 20 ms)`);

  await chair.send('comment', { n: 900 });
  const newcomer = await startPeer('newcomer', signaling.url);
  all.push(newcomer);
  const t0 = performance.now();
  await newcomer.send('join', { invite });
  await newcomer.send('await-review');
  const got = await Promise.race([newcomer.send('time-to', { threads: 1000 }).then(() => true), new Promise((r) => setTimeout(() => r(false), 60_000))]);
  console.log(
    got
      ? `Newcomer receives a review of 1,000 comments: ${(performance.now() - t0).toFixed(0)} ms from joining the group   (target: < 1 s)`
      : 'Newcomer did not receive the 1,000-comment review within 60 s (see the closing note of the sync issue).',
  );
  all.forEach((p) => p.stop());
  all.length = 0;

  const ten = await room(10);
  const peers = [ten.chair, ...ten.members];
  const t1 = performance.now();
  await Promise.all(peers.map((p) => p.send('comment', { n: 50 })));
  const appended = performance.now() - t1;
  await Promise.all(peers.map((p) => p.send('time-to', { threads: 500, timeout: 120_000 })));
  // Ten hubs on two cores: writing the comments takes most of the time, so say both.
  console.log(
    `Convergence, 10 peers x 50 concurrent comments: all written after ${appended.toFixed(0)} ms, every peer has all 500 after ${(performance.now() - t1).toFixed(0)} ms`,
  );
} finally {
  all.forEach((p) => p.stop());
  await signaling.close();
}
