#!/usr/bin/env node
// Builds the Chrome extension once, then runs the browser tests against it, and the Node peer tests. As root on Linux,
// the tests run in a fresh network namespace with only loopback, so ICE, mDNS and any stray
// request from Chromium cannot leave the machine (see docs/testing.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, argv, opts = {}) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
};

if (!process.env.MARGINS_E2E_INNER) {
  if (!process.env.MARGINS_SKIP_BUILD && run('npx', ['wxt', 'build']) !== 0) process.exit(1);
  const isRoot = process.getuid?.() === 0;
  const unshare = ['/usr/bin/unshare', '/bin/unshare'].find(existsSync);
  if (isRoot && unshare && !process.env.MARGINS_NO_NETNS) {
    const inner = `ip link set lo up && exec node scripts/e2e.mjs ${args.map((a) => `'${a}'`).join(' ')}`;
    process.exit(run(unshare, ['-n', 'sh', '-c', inner], { env: { ...process.env, MARGINS_E2E_INNER: '1' } }));
  }
}
// Node peers (tests/integration) use WebRTC on loopback too: same namespace, same run.
process.exit(run('npx', ['vitest', 'run', '--project', 'integration', '--project', 'e2e', ...args]));
