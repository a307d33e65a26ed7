/** Shared helpers for the benchmarks: seeded randomness, fixture text, medians. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Built from the path, not with URL: test files under a DOM environment replace the URL global.
export const DRAFTS = join(dirname(fileURLToPath(import.meta.url)), '../samples/');

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
  };
}
export type Rng = ReturnType<typeof rng>;

/** Plain text of a fixture draft: blocks on their own lines, white space collapsed. */
export function draftText(name: string): string {
  return readFileSync(DRAFTS + name, 'utf8')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '')
    .replace(/<\/?(p|li|h\d|tr|td|th|ol|ul|table|div|body|section)[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * As root on Linux, runs this benchmark again inside a new network namespace with only loopback up,
 * like the tests (docs/testing.md), and exits with its status; otherwise returns and it runs here.
 * `moduleUrl`: the benchmark's import.meta.url.
 */
export function inLoopbackNamespace(moduleUrl: string): void {
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare') || process.env.MARGINS_BENCH_INNER) return;
  const script = relative(process.cwd(), fileURLToPath(moduleUrl));
  const args = [script, ...process.argv.slice(2)].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const r = spawnSync('/usr/bin/unshare', ['-n', 'sh', '-c', `ip link set lo up && exec npx tsx ${args}`], { stdio: 'inherit', env: { ...process.env, MARGINS_BENCH_INNER: '1' } });
  process.exit(r.status ?? 1);
}
