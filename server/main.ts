/**
 * `npm run server -- --data <dir>`: a group server, one process. The signaling server (WebRTC
 * handshakes, never content) and the archive peer (an always-online member device that keeps every
 * review of the groups it joined on disk), with /health and /metrics. JSON log lines on stdout.
 *
 * Options: --data <dir> (required) · --host (127.0.0.1) · --port (4444) · --join <invite> (once per
 * group; the chair's hub admits it like a member) · --name <shown to the group> · --trust-proxy
 * (behind a reverse proxy that sets X-Forwarded-For) · --redis <url> (instances sharing one Redis
 * share their rooms) · --no-archive (signaling only).
 * docs/server.md: TLS behind a reverse proxy, a systemd unit, what the operator sees.
 */
import { parseArgs } from 'node:util';
import { DEFAULTS, startSignalingServer, type SignalingServer } from './signaling-server.mjs';
import type { Archive } from './archive/archive';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    host: { type: 'string', default: DEFAULTS.host },
    port: { type: 'string', default: String(DEFAULTS.port) },
    join: { type: 'string', multiple: true, default: [] },
    name: { type: 'string' },
    'trust-proxy': { type: 'boolean', default: false },
    redis: { type: 'string', default: '' },
    'no-archive': { type: 'boolean', default: false },
  },
});

const log = (event: string, fields: Record<string, unknown> = {}) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + '\n');
const fail = (message: string): never => {
  log('fatal', { error: message });
  process.exit(2);
};

if (!values['no-archive'] && !values.data) fail('--data <dir> is required: where the archive keeps its key and the reviews (or --no-archive)');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port ${values.port} is not a port number`);

let archive: Archive | null = null;
// Requests may come in before startSignalingServer resolves: the handlers read it when set.
let signaling: SignalingServer | undefined;
const started = Date.now();
const isLoopback = (address: string | undefined) => !!address && /^(127\.|::1$|::ffff:127\.)/.test(address);
const json = (res: import('node:http').ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

signaling = await startSignalingServer({
  host: values.host,
  port,
  trustProxy: values['trust-proxy'],
  redis: values.redis,
  onRequest(req, res) {
    if (req.url === '/health') {
      const disk = archive?.diskError() ?? null;
      json(res, disk ? 503 : 200, { ok: !disk, archive: archive ? 'running' : values['no-archive'] ? 'off' : 'starting', ...(disk ? { diskError: disk } : {}), ...signaling?.stats() });
      return true;
    }
    if (req.url === '/metrics') {
      // How many groups and members, and when they are active, is the operator's to see, not the
      // internet's: only from this machine, and not through the reverse proxy (which adds the header).
      if (!isLoopback(req.socket.remoteAddress) || req.headers['x-forwarded-for']) {
        json(res, 404, { error: 'not found' });
        return true;
      }
      (archive?.metrics() ?? Promise.resolve(null)).then(
        (held) => json(res, 200, { uptimeSeconds: Math.round((Date.now() - started) / 1000), rssBytes: process.memoryUsage().rss, ...signaling?.stats(), archive: held }),
        (error: Error) => json(res, 500, { error: error.message }),
      );
      return true;
    }
    return false;
  },
});

if (!values['no-archive']) {
  const { startArchive } = await import('./archive/archive');
  archive = await startArchive({ dataDir: values.data!, name: values.name, log });
  for (const invite of values.join ?? []) {
    try {
      await archive.join(invite);
    } catch (error) {
      log('join-failed', { error: (error as Error).message });
    }
  }
  log('ready', { url: signaling.url, keyId: archive.keyId });
} else log('ready', { url: signaling.url });
const running = signaling;

const stop = async () => {
  log('stopping');
  await archive?.close();
  await running.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
