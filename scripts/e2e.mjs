#!/usr/bin/env node
// Builds the Chrome and Firefox extensions once, then runs the browser tests against them, and the
// Node peer tests. As root on Linux, the tests run in a fresh network namespace of their own, so ICE,
// mDNS and any stray request from a browser cannot leave the machine (see docs/testing.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, argv, opts = {}) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
};

if (!process.env.MARGINS_E2E_INNER) {
  if (!process.env.MARGINS_SKIP_BUILD && (run('npx', ['wxt', 'build']) !== 0 || run('npx', ['wxt', 'build', '-b', 'firefox']) !== 0)) process.exit(1);
  if (run('node', ['scripts/check-content-scripts.mjs']) !== 0) process.exit(1);
  const isRoot = process.getuid?.() === 0;
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find(existsSync);
  if (isRoot && unshare && !process.env.MARGINS_NO_NETNS) {
    // Firefox gathers no ICE candidate with loopback alone: a veth pair with a default route, both
    // ends inside this namespace, gives it an interface; nothing is routed out of the namespace.
    const net = [
      'ip link set lo up',
      'ip link add margins0 type veth peer name margins1',
      'ip addr add 10.213.0.1/24 dev margins0',
      'ip link set margins0 up',
      'ip link set margins1 up',
      'ip route add default dev margins0',
    ].join(' && ');
    const inner = `${net} && exec node scripts/e2e.mjs ${args.map((a) => `'${a}'`).join(' ')}`;
    process.exit(run(unshare, ['-n', 'sh', '-c', inner], { env: { ...process.env, MARGINS_E2E_INNER: '1' } }));
  }
}
// Node peers (tests/integration) use WebRTC on loopback too: same namespace, same run.
process.exit(run('npx', ['vitest', 'run', '--project', 'integration', '--project', 'e2e', ...args]));
