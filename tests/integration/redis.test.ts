/**
 * Two signaling instances behind one address share their rooms through Redis (Debian's
 * redis-server): a chair whose connection the balancer sent to one instance and a member sent to
 * the other still meet, and their comments cross. Without the shared Redis they never would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';
import { startBalancer, type Balancer } from '../support/balancer';
import { startReviewRoom, type Peer } from '../support/peers';

const REDIS = process.env.REDIS_SERVER_PATH ?? '/usr/bin/redis-server';
let redis: ChildProcess | undefined;
const instances: SignalingServer[] = [];
let balancer: Balancer | undefined;
const peers: Peer[] = [];

afterAll(async () => {
  peers.forEach((p) => p.stop());
  await balancer?.close();
  await Promise.all(instances.map((i) => i.close()));
  redis?.kill();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startRedis(): Promise<string> {
  const port = await freePort();
  redis = spawn(REDIS, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    redis!.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
    redis!.stdout!.on('data', (b: Buffer) => b.toString().includes('Ready to accept connections') && resolve());
  });
  return `redis://127.0.0.1:${port}`;
}

describe('several server instances over one Redis', () => {
  it('let peers connected to different instances sync', async () => {
    const url = await startRedis();
    instances.push(...(await Promise.all([0, 1].map(() => startSignalingServer({ port: 0, quiet: true, redis: url })))));
    balancer = await startBalancer(instances.map((i) => i.port));

    const { chair, members: [member] } = await startReviewRoom(balancer.url, 'chair', ['member']);
    peers.push(chair, member);
    // The balancer gave each its own instance.
    expect(instances.map((i) => i.stats().connections)).toEqual([1, 1]);

    await chair.send('comment', { n: 1 });
    expect((await member.send('state', { threads: 1, timeout: 20_000 })).threads).toBe(1);
    await member.send('comment', { n: 1 });
    expect((await chair.send('state', { threads: 2, timeout: 20_000 })).threads).toBe(2);
    expect(instances.map((i) => i.stats().connections)).toEqual([1, 1]);
  }, 120_000);
});
