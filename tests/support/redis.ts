/** Debian's redis-server on a free loopback port, for tests of server instances sharing rooms. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const REDIS = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startRedis(): Promise<{ url: string; stop(): void }> {
  const port = await freePort();
  const redis: ChildProcess = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    redis.once('error', reject);
    redis.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    redis.stdout!.on('data', (b: Buffer) => b.toString().includes('Ready to accept connections') && resolve());
  });
  return { url: `redis://127.0.0.1:${port}`, stop: () => redis.kill() };
}
