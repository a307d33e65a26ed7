/**
 * The group server (server/main.ts) in its own process, as an operator runs it: started with a
 * data directory, restarted on the same port and directory (what it keeps must come back from
 * disk), read through its /metrics endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface GroupServer {
  /** Everything the process printed (JSON log lines), for a failing test to show. */
  log(): string;
  /** The signaling address (ws://…) groups are set up with. */
  url: string;
  /** What /metrics says. */
  metrics(): Promise<{ connections: number; topics: number; archive: { groups: number; members: number; waiting: number; reviews: number; envelopes: number; rowsRestored: number } }>;
  /** Stops the process and starts it again on the same port and data, with these invites to join. */
  restart(options?: { join?: string }): Promise<void>;
  stop(): Promise<void>;
}

async function run(data: string, port: number, join?: string): Promise<{ child: ChildProcess; url: string; log: string[] }> {
  const args = [MAIN, '--data', data, '--port', String(port), ...(join ? ['--join', join] : [])];
  const child = spawn(TSX, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  child.stderr!.on('data', (b: Buffer) => log.push(b.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the group server did not start:\n${log.join('')}`)), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      try {
        const event = JSON.parse(line) as { event: string; url?: string; error?: string };
        if (event.event === 'ready') {
          clearTimeout(timer);
          resolve(event.url!);
        }
        if (event.event === 'fatal' || event.event === 'join-failed') reject(new Error(`group server: ${event.error}`));
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`the group server exited (${code}):\n${log.join('\n')}`)));
  });
  return { child, url, log };
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export async function startGroupServer({ data }: { data: string }): Promise<GroupServer> {
  let current = await run(data, 0);
  const port = Number(new URL(current.url).port);
  return {
    url: current.url,
    log: () => current.log.join('\n'),
    async metrics() {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      return res.json();
    },
    async restart({ join } = {}) {
      await stopped(current.child);
      current = await run(data, port, join);
    },
    stop: () => stopped(current.child),
  };
}
