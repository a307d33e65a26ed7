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
const until = async (f: () => boolean, ms = 1_000) => {
  for (let i = 0; i < ms / 10 && !f(); i++) await new Promise((r) => setTimeout(r, 10));
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
    // The room beyond the limit is refused by name: the client can say that review cannot sync.
    await until(() => a.inbox.length === 1);
    expect(a.inbox).toEqual([{ type: 'refused', topic: 't3', reason: 'room-limit' }]);
    const closed = new Promise((resolve) => a.ws.once('close', (code) => resolve(code)));
    a.send({ type: 'publish', topic: 't1', data: 'x'.repeat(4096) });
    expect(await closed).toBe(1009);
  });

  it('closes a receiver that does not read before what waits for it grows past the limit; the sender and others carry on', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxBufferedBytes: 256 * 1024, messagesPerSecond: 1e6, messagesBurst: 1e6 });
    const sender = client(server.url);
    const slow = client(server.url);
    const fine = client(server.url);
    await Promise.all([sender.opened, slow.opened, fine.opened]);
    for (const c of [sender, slow, fine]) c.send({ type: 'subscribe', topics: ['room'] });
    await new Promise((r) => setTimeout(r, 30));
    // The slow reader stops reading its socket: what the server sends it piles up on the server.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // Sent in paced batches until the server gives up on the slow reader, so the test moves only as much
    // as the kernel's socket buffers hold plus the limit, whatever else the machine is doing.
    const chunk = 'x'.repeat(32 * 1024);
    const connections = async () => (await (await fetch(server!.url.replace('ws:', 'http:') + '/health')).json()).connections;
    let sent = 0;
    while ((await connections()) === 3 && sent < 4_000) {
      for (let i = 0; i < 20; i++, sent++) sender.send({ type: 'publish', topic: 'room', data: chunk });
      await until(() => fine.inbox.length === sent, 3_000);
    }
    // Seen from the server (the paused client would hear of the close only once it reads again).
    expect(await connections()).toBe(2);
    expect(sent).toBeGreaterThan(8); // more than the limit itself had to go out
    expect(fine.inbox.length).toBe(sent);
    expect(sender.ws.readyState).toBe(WebSocket.OPEN);
  }, 30_000);

  it('caps connections and rooms per address, and closes a connection that floods', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxConnectionsPerAddress: 3, maxTopicsPerAddress: 4, messagesPerSecond: 10, messagesBurst: 20 });
    const clients = [client(server.url), client(server.url), client(server.url)];
    await Promise.all(clients.map((c) => c.opened));
    const fourth = client(server.url);
    const refused = await new Promise((resolve) => fourth.ws.once('close', (code) => resolve(code)));
    expect(refused).toBe(1008);
    clients[0].send({ type: 'subscribe', topics: ['a', 'b', 'c'] });
    clients[1].send({ type: 'subscribe', topics: ['d', 'e', 'f'] });
    await new Promise((r) => setTimeout(r, 50));
    const health = await (await fetch(server.url.replace('ws:', 'http:') + '/health')).json();
    expect(health.topics).toBe(4);
    const closed = new Promise((resolve) => clients[2].ws.once('close', (code) => resolve(code)));
    for (let i = 0; i < 500; i++) clients[2].send({ type: 'ping' });
    expect(await closed).toBe(1008);
    expect(clients[2].inbox.length).toBeLessThanOrEqual(25); // the burst, and what refilled meanwhile
    for (const c of clients.slice(0, 2)) c.ws.close();
  });

  it('stays up for anyone who can connect: a publish nested thousands deep, a bad frame on a refused connection', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxConnectionsPerAddress: 3 });
    const a = client(server.url);
    const b = client(server.url);
    await Promise.all([a.opened, b.opened]);
    a.send({ type: 'subscribe', topics: ['t'] });
    b.send({ type: 'subscribe', topics: ['t'] });
    await new Promise((r) => setTimeout(r, 30));
    // 10 KB that JSON.parse takes and JSON.stringify cannot write back (its stack runs out).
    const depth = 30_000;
    a.ws.send(`{"type":"publish","topic":"t","data":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    // A connection over the per-address limit is refused; a frame too large on it raises an error there.
    const third = client(server.url);
    await third.opened;
    const refused = new WebSocket(server.url);
    refused.on('error', () => {});
    refused.on('open', () => refused.send(Buffer.alloc(200_000, 65)));
    await new Promise((resolve) => refused.once('close', resolve));
    a.send({ type: 'publish', topic: 't', data: 'still here' });
    await until(() => b.inbox.some((m) => m.data === 'still here'), 2_000);
    const health = await (await fetch(server.url.replace('ws:', 'http:') + '/health')).json();
    expect(health).toMatchObject({ ok: true, connections: 3 });
    for (const x of [a, b, third]) x.ws.close();
  });

  it('counts clients behind a trusted proxy by their forwarded address', async () => {
    server = await startSignalingServer({ port: 0, quiet: true, maxConnectionsPerAddress: 1, trustProxy: true });
    const as = (address: string) => new WebSocket(server!.url, { headers: { 'x-forwarded-for': `${address}, 10.0.0.1` } });
    const open = (ws: WebSocket) => new Promise<number | 'open'>((resolve) => (ws.once('open', () => resolve('open')), ws.once('close', (code) => resolve(code))));
    const a = as('203.0.113.1');
    const b = as('203.0.113.2');
    expect([await open(a), await open(b)]).toEqual(['open', 'open']);
    const third = as('203.0.113.1'); // the same client address again: refused once open
    expect(await new Promise((resolve) => third.once('close', resolve))).toBe(1008);
    a.close();
    b.close();
  });

  it('logs at most a few lines of a kind each second, and says how many it left out', async () => {
    const lines: string[] = [];
    server = await startSignalingServer({ port: 0, logSink: (line) => lines.push(line), logLinesPerSecond: 3 });
    const a = client(server.url);
    await a.opened;
    for (let i = 0; i < 100; i++) a.ws.send('not json');
    // Once the second is over, a line says how many were left out (97 of 100).
    const flushed = () => lines.find((l) => l.includes('"event":"suppressed"'));
    for (let i = 0; i < 40 && !flushed(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(flushed()!)).toMatchObject({ of: 'bad-message', count: 97 });
    expect(lines.filter((l) => l.includes('"event":"bad-message"'))).toHaveLength(3);
    a.ws.send('not json');
    await until(() => lines.filter((l) => l.includes('"event":"bad-message"')).length === 4);
    expect(JSON.parse(lines.filter((l) => l.includes('"event":"bad-message"'))[3]).suppressed).toBeUndefined(); // counted once, not twice
    a.ws.close();
  }, 10_000);
});
