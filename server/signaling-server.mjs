// A signaling server for Margins review rooms, compatible with y-webrtc's protocol
// (subscribe / unsubscribe / publish / ping over WebSocket). It relays only WebRTC handshakes,
// which y-webrtc encrypts with the room password, under room names that are hashes: it never
// sees comments, documents or URLs. Binds 127.0.0.1 unless told otherwise.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { JOIN_PAGE, JOIN_PAGE_HEADERS } from './join-page.mjs';
import { redisBridge } from './redis-bridge.mjs';

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4444,
  /** Largest message accepted, in bytes (handshakes are a few KB). */
  maxMessageBytes: 64 * 1024,
  /**
   * Most rooms one connection may subscribe to: a browser holds one connection per server and one
   * room per review of each of its groups, plus two per group. A room beyond the limit is refused
   * with a message naming it, which the extension shows (a review that cannot sync must say so).
   */
  maxTopicsPerConnection: 1_024,
  /** A socket that has not answered a ping within this long is closed. */
  pingIntervalMs: 30_000,
  /** A receiver with more than this waiting to be sent to it is not reading: it is closed (it reconnects when it reads again). */
  maxBufferedBytes: 1024 * 1024,
  /** Connections, and rooms over all of them, one address may hold. */
  maxConnectionsPerAddress: 32,
  maxTopicsPerAddress: 4_096,
  /** Messages a connection may send per second (a burst of `messagesBurst`); beyond, they are dropped, and a connection that keeps on is closed. */
  messagesPerSecond: 100,
  messagesBurst: 1_000,
  /** Log lines of one kind per second; the rest are counted in the next line of that kind. */
  logLinesPerSecond: 5,
  /**
   * Behind a reverse proxy every client comes from the proxy's address: set this (TRUST_PROXY=1 for
   * `npm run signal`) to count clients by the first address of X-Forwarded-For instead. Only behind
   * a proxy that sets that header: otherwise a client could name any address.
   */
  trustProxy: false,
  /** A Redis URL (redis://host:port): instances sharing it share their rooms (server/redis-bridge.mjs). */
  redis: '',
};

/**
 * One JSON line per event, never message contents, at most `perSecond` lines of a kind each second
 * (a client sending garbage must not fill the disk). What was left out is counted: the next line
 * of that kind says how many, or, when none comes, a `suppressed` line once the second is over.
 * `sink` receives each line (stdout unless quiet). `stop()` prints what is still counted.
 */
function logger(quiet, perSecond, sink) {
  const write = sink ?? ((line) => process.stdout.write(line + '\n'));
  const windows = new Map();
  let timer = null;
  const line = (event, fields) => write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
  const flush = () => {
    timer = null;
    for (const [event, w] of windows) {
      if (w.suppressed) line('suppressed', { of: event, count: w.suppressed });
      w.suppressed = 0;
    }
  };
  const log = (event, fields = {}) => {
    if (quiet && !sink) return;
    const second = Math.floor(Date.now() / 1000);
    let w = windows.get(event);
    if (!w || w.second !== second) {
      w = { second, lines: 0, suppressed: w?.suppressed ?? 0 };
      windows.set(event, w);
    }
    if (w.lines >= perSecond) {
      w.suppressed++;
      timer ??= setTimeout(flush, 1_100);
      timer.unref?.();
      return;
    }
    w.lines++;
    const suppressed = w.suppressed;
    w.suppressed = 0;
    line(event, { ...fields, ...(suppressed ? { suppressed } : {}) });
  };
  log.stop = () => {
    if (timer) clearTimeout(timer);
    flush();
  };
  return log;
}

export async function startSignalingServer(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const log = logger(o.quiet, o.logLinesPerSecond, o.logSink);
  const bridge = o.redis ? await redisBridge(o.redis, log) : null;
  /** @type {Map<string, Set<import('ws').WebSocket>>} */
  const topics = new Map();
  let connections = 0;
  /** Per remote address: its connections, and its rooms over all of them. */
  const addresses = new Map();

  /**
   * Sends to one receiver, unless it has stopped reading: what waits for it would grow without
   * bound (memory the sender controls), so past the limit it is closed instead. Handshakes are
   * small; a client that reads again reconnects.
   */
  const deliver = (receiver, data) => {
    if (receiver.readyState !== receiver.OPEN) return;
    if (receiver.bufferedAmount > o.maxBufferedBytes) {
      log('slow-reader-closed', { buffered: receiver.bufferedAmount });
      receiver.terminate();
      return;
    }
    receiver.send(data);
  };

  const dropTopic = (topic) => {
    topics.delete(topic);
    bridge?.unsubscribed(topic);
  };
  // A message another instance's client sent to a room: to this instance's clients of it.
  bridge?.onRemote((topic, data) => {
    for (const r of topics.get(topic) ?? []) deliver(r, data);
  });

  const http = createServer((req, res) => {
    // The group server (server/main.ts) adds its own pages and endpoints here.
    if (o.onRequest?.(req, res)) return;
    // The invite landing page (the code is in the fragment, which the request does not carry).
    if (req.method === 'GET' && (req.url === '/join' || req.url === '/join/')) {
      res.writeHead(200, JOIN_PAGE_HEADERS).end(JOIN_PAGE);
      return;
    }
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, connections, topics: topics.size }));
      return;
    }
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, maxPayload: o.maxMessageBytes });

  wss.on('connection', (socket, req) => {
    const forwarded = o.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0].trim() : '';
    const from = forwarded || req.socket.remoteAddress || '';
    // Before anything else: a socket's error (a bad frame, one too large) with nobody listening is
    // thrown, and stops the server, even on a connection about to be refused.
    socket.on('error', (error) => log('socket-error', { from, error: error.message }));
    const place = addresses.get(from) ?? { connections: 0, topics: 0 };
    if (place.connections >= o.maxConnectionsPerAddress) {
      log('connection-limit', { from });
      socket.close(1008, 'too many connections from this address');
      return;
    }
    place.connections++;
    addresses.set(from, place);
    connections++;
    const mine = new Set();
    let alive = true;
    const id = Math.random().toString(36).slice(2, 10);
    log('connect', { id, from });
    const send = (message) => deliver(socket, JSON.stringify(message));
    // A token bucket: a burst is fine, a flood is dropped, and a connection that floods for long
    // (many drops within a minute, not over its whole life) is closed.
    let tokens = o.messagesBurst;
    let refilled = Date.now();
    let dropped = 0;
    let dropsSince = Date.now();
    const allowed = () => {
      const now = Date.now();
      tokens = Math.min(o.messagesBurst, tokens + ((now - refilled) / 1000) * o.messagesPerSecond);
      refilled = now;
      if (tokens >= 1) {
        tokens--;
        return true;
      }
      if (now - dropsSince > 60_000) {
        dropsSince = now;
        dropped = 0;
      }
      if (++dropped > o.messagesBurst * 5) {
        log('flood-closed', { id, from });
        socket.close(1008, 'too many messages');
      }
      return false;
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
      // Whatever one connection sends, a mistake of ours in handling it closes that connection, not the server.
      try {
        onMessage(raw);
      } catch (error) {
        log('message-error', { id, from, error: error instanceof Error ? error.message : String(error) });
        socket.close(1011, 'internal error');
      }
    });

    const onMessage = (raw) => {
      if (!allowed()) return;
      let message;
      try {
        message = JSON.parse(raw.toString());
      } catch {
        log('bad-message', { id, reason: 'not JSON' });
        return;
      }
      if (!message || typeof message.type !== 'string') return;
      switch (message.type) {
        case 'subscribe': {
          let refusals = 0;
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            if (typeof topic !== 'string' || topic.length > 256 || mine.has(topic)) continue;
            if (mine.size >= o.maxTopicsPerConnection || place.topics >= o.maxTopicsPerAddress) {
              // Said for the first few rooms of a request: enough for a client to show, bounded for one that asks for thousands.
              if (++refusals <= 16) deliver(socket, JSON.stringify({ type: 'refused', topic, reason: 'room-limit' }));
              continue;
            }
            mine.add(topic);
            place.topics++;
            if (!topics.has(topic)) {
              topics.set(topic, new Set());
              bridge?.subscribed(topic);
            }
            topics.get(topic).add(socket);
          }
          if (refusals) log('topic-limit', { id, from, refused: refusals });
          break;
        }
        case 'unsubscribe':
          for (const topic of Array.isArray(message.topics) ? message.topics : []) {
            if (mine.delete(topic)) place.topics--;
            topics.get(topic)?.delete(socket);
            if (topics.get(topic)?.size === 0) dropTopic(topic);
          }
          break;
        case 'publish': {
          const receivers = topics.get(message.topic);
          if (!receivers || !mine.has(message.topic)) return;
          // The text as received, with the count added last (the value a parser keeps): writing
          // the parsed message back would take a stack as deep as its nesting, which a sender
          // chooses (JSON.parse takes 30,000 levels that JSON.stringify cannot write).
          const text = raw.toString().trimEnd();
          const out = `${text.slice(0, -1)},"clients":${receivers.size}}`;
          for (const r of receivers) deliver(r, out);
          bridge?.publish(message.topic, out);
          break;
        }
        case 'ping':
          send({ type: 'pong' });
          break;
      }
    };

    socket.on('close', () => {
      clearInterval(pinger);
      connections--;
      place.connections--;
      place.topics -= mine.size;
      if (place.connections === 0) addresses.delete(from);
      for (const topic of mine) {
        topics.get(topic)?.delete(socket);
        if (topics.get(topic)?.size === 0) dropTopic(topic);
      }
      log('disconnect', { id, rooms: mine.size });
    });
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
        stats: () => ({ connections, topics: topics.size }),
        close: () =>
          new Promise((done) => {
            for (const client of wss.clients) client.terminate();
            log.stop();
            wss.close(() => http.close(() => void (bridge?.close() ?? Promise.resolve()).finally(() => done())));
          }),
      });
    });
  });
}

// `npm run signal`: HOST and PORT from the environment.
if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startSignalingServer({ host: process.env.HOST ?? DEFAULTS.host, port: Number(process.env.PORT ?? DEFAULTS.port), trustProxy: process.env.TRUST_PROXY === '1', redis: process.env.REDIS_URL ?? '' });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
