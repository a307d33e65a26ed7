import { createServer } from 'node:http';
import { WebSocket, WebSocketServer } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { addressWarning, checkServer } from '../../lib/groups/server-check';
import { startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';

const open = (url: string) => new WebSocket(url) as never;
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

describe("Test connection for a group's server", () => {
  it('answers yes for a Margins server, and says what an address cannot do', async () => {
    const server: SignalingServer = await startSignalingServer({ port: 0, quiet: true });
    closers.push(() => server.close());
    expect(await checkServer(server.url, open)).toMatchObject({ ok: true, warning: 'local-only' });
    expect(addressWarning('ws://margins.example.org')).toBe('not-encrypted');
    expect(addressWarning('wss://margins.example.org')).toBeUndefined();
  });

  it('tells nothing listening, something else listening, and a wrong address apart', async () => {
    // A WebSocket server that never answers a ping.
    const http = createServer();
    const silent = new WebSocketServer({ server: http });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => silent.close(() => http.close(() => r()))));
    const port = (http.address() as { port: number }).port;
    expect(await checkServer(`ws://127.0.0.1:${port}`, open, 500)).toEqual({ ok: false, reason: 'no-answer' });
    // Nothing on this port (the silent server's, once closed, would do; a reserved one is simpler).
    expect(await checkServer('ws://127.0.0.1:9', open, 2_000)).toEqual({ ok: false, reason: 'unreachable' });
    expect(await checkServer('https://margins.example.org', open)).toEqual({ ok: false, reason: 'not-websocket' });
    expect(await checkServer('margins', open)).toEqual({ ok: false, reason: 'not-websocket' });
  });
});
