/**
 * `npm run stress:room [-- --runs N]`: the ten-peer scenario of tests/integration/room.test.ts,
 * N times in a row (default 50), each with a fresh signaling server and fresh peers. Prints each
 * run's convergence time and slowest step, then the distribution (median, p90, p99, max) and
 * every failure with its diagnosis. Exits non-zero when any run failed. STEPS=1 also prints each
 * run's time per step.
 * As root on Linux it runs in a loopback-only network namespace, like the tests.
 */
import { parseArgs } from 'node:util';
import { runRoom } from '../../tests/support/room-scenario';
import { inLoopbackNamespace, median, percentile } from '../support';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, 'step-ms': { type: 'string', default: '30000' } } });
const runs = Number(values.runs);
const stepMs = Number(values['step-ms']);

inLoopbackNamespace(import.meta.url);

console.log(`Ten-peer room, ${runs} runs (Node ${process.version}, loopback, step deadline ${stepMs} ms)\n`);
const times: number[] = [];
const failures: string[] = [];
for (let i = 1; i <= runs; i++) {
  try {
    const run = await runRoom({ stepMs });
    times.push(run.convergeMs);
    const [slowName, slowMs] = [...run.steps].sort((a, b) => b[1] - a[1])[0];
    console.log(`run ${i}: converged in ${run.convergeMs} ms (slowest step: ${slowName}, ${slowMs} ms; handshakes given up: ${run.stalled})`);
    if (process.env.STEPS) console.log(run.steps.map(([n, ms]) => `  ${n}: ${ms} ms`).join("\n"));
  } catch (error) {
    failures.push(`run ${i}: ${(error as Error).message}`);
    console.log(`run ${i}: FAILED — ${(error as Error).message}`);
  }
}
if (!times.length) {
  console.log('\nNo run converged.');
  process.exit(1);
}
const f = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(
  `\nConvergence over ${times.length} runs: median ${f(median(times))}, p90 ${f(percentile(times, 90))}, p99 ${f(percentile(times, 99))}, max ${f(Math.max(...times))}   (target: p99 < 15 s)`,
);
console.log(`Failures: ${failures.length} of ${runs}`);
for (const line of failures) console.log(line);
process.exit(failures.length ? 1 : 0);
