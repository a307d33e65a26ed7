// A signaling server for Margins review rooms, compatible with y-webrtc's protocol
// (subscribe / unsubscribe / publish / ping over WebSocket). It relays only WebRTC handshakes,
// which y-webrtc encrypts with the room password, under room names that are hashes: it never
// sees comments, documents or URLs. Binds 127.0.0.1 unless told otherwise.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4444,
  /** Largest message accepted, in bytes (handshakes are a few KB). */
  maxMessageBytes: 64 * 1024,
  /** Most rooms one connection may subscribe to. */
  maxTopicsPerConnection: 64,
  /** A socket that has not answered a ping within this long is closed. */
  pingIntervalMs: 30_000,
};

/** One JSON line per event, never message contents. */
function logger(quiet) {
  return (event, fields = {}) => {
    if (!quiet) process.stdout.write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + '\n');
  };
}

export function startSignalingServer(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const log = logger(o.quiet);
  /** @type {Map<string, Set<import('ws').WebSocket>>} */
  const topics = new Map();
  let connections = 0;

  const http = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, connections, topics: topics.size }));
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, maxPayload: o.maxMessageBytes });

  wss.on('connection', (socket, req) => {
    connections++;
    const mine = new Set();
    let alive = true;
    const id = Math.random().toString(36).slice(2, 10);
    log('connect', { id, from: req.socket.remoteAddress });
    const send = (message) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
    };
    socket.on('pong', () => (alive = true));
    const pinger = setInterval(() => {
      if (!alive) {
        log('timeout', { id });
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
    }, o.pingIntervalMs);

    socket.on('message', (raw) => {
      let message;
      try {
        message = JSON.parse(raw.toString());
      } catch {
        log('bad-message', { id, reason: 'not JSON' });
        return;
      }
      if (!message || typeof message.type !== 'string') return;
      switch (message.type) {
        case 'subscribe':
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof topic !== 'string' || topic.length > 256 || mine.has(topic)) continue;
            if (mine.size >= o.maxTopicsPerConnection) {
              log('topic-limit', { id });
              break;
            }
            mine.add(topic);
            if (!topics.has(topic)) topics.set(topic, new Set());
            topics.get(topic).add(socket);
          }
          break;
        case 'unsubscribe':
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            mine.delete(topic);
            topics.get(topic)?.delete(socket);
            if (topics.get(topic)?.size === 0) topics.delete(topic);
          }
          break;
        case 'publish': {
          const receivers = topics.get(message.topic);
          if (!receivers || !mine.has(message.topic)) return;
          const out = JSON.stringify({ ...message, clients: receivers.size });
          for (const r of receivers) if (r.readyState === r.OPEN) r.send(out);
          break;
        }
        case 'ping':
          send({ type: 'pong' });
          break;
      }
    });

    socket.on('close', () => {
      clearInterval(pinger);
      connections--;
      for (const topic of mine) {
        topics.get(topic)?.delete(socket);
        if (topics.get(topic)?.size === 0) topics.delete(topic);
      }
      log('disconnect', { id, rooms: mine.size });
    });
    socket.on('error', (error) => log('socket-error', { id, error: error.message }));
  });
  wss.on('error', (error) => log('server-error', { error: error.message }));

  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(o.port, o.host, () => {
      const { port } = http.address();
      log('listening', { host: o.host, port });
      resolve({
        url: `ws://${o.host}:${port}`,
        port,
        close: () =>
          new Promise((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close(() => http.close(() => done()));
          }),
      });
    });
  });
}

// `npm run signal`: HOST and PORT from the environment.
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startSignalingServer({ host: process.env.HOST ?? DEFAULTS.host, port: Number(process.env.PORT ?? DEFAULTS.port) });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
