import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';

let server: SignalingServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

function client(url: string) {
  const ws = new WebSocket(url);
  const inbox: any[] = [];
  ws.on('message', (m) => inbox.push(JSON.parse(m.toString())));
  const opened = new Promise((resolve) => ws.once('open', resolve));
  return { ws, inbox, opened, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}
const until = async (f: () => boolean) => {
  for (let i = 0; i < 100 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(f()).toBe(true);
};

describe('signaling server', () => {
  it('relays publishes to a room only to its subscribers, and answers pings and health checks', async () => {
    server = await startSignalingServer({ port: 0, quiet: true });
    const a = client(server.url);
    const b = client(server.url);
    const c = client(server.url);
    await Promise.all([a.opened, b.opened, c.opened]);
    a.send({ type: 'subscribe', topics: ['room1'] });
    b.send({ type: 'subscribe', topics: ['room1'] });
    c.send({ type: 'subscribe', topics: ['room2'] });
    await new Promise((r) => setTimeout(r, 30));
    a.send({ type: 'publish', topic: 'room1', data: 'hello' });
    await until(() => b.inbox.length === 1);
    expect(b.inbox[0]).toMatchObject({ type: 'publish', topic: 'room1', data: 'hello', clients: 2 });
    expect(c.inbox).toEqual([]);
    c.send({ type: 'publish', topic: 'room1', data: 'not subscribed' });
    c.send({ type: 'ping' });
    await until(() => c.inbox.length === 1);
    expect(c.inbox[0]).toEqual({ type: 'pong' });
    const health = await (await fetch(server.url.replace('ws:', 'http:') + '/health')).json();
    expect(health).toEqual({ ok: true, connections: 3, topics: 2 });
    for (const x of [a, b, c]) x.ws.close();
  });

  it('closes a connection that sends more than the size limit, and caps rooms per connection', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxMessageBytes: 1024, maxTopicsPerConnection: 2 });
    const a = client(server.url);
    await a.opened;
    a.send({ type: 'subscribe', topics: ['t1', 't2', 't3'] });
    await new Promise((r) => setTimeout(r, 30));
    const health = await (await fetch(server.url.replace('ws:', 'http:') + '/health')).json();
    expect(health.topics).toBe(2);
    const closed = new Promise((resolve) => a.ws.once('close', (code) => resolve(code)));
    a.send({ type: 'publish', topic: 't1', data: 'x'.repeat(4096) });
    expect(await closed).toBe(1009);
  });
});
