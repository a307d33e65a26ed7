// Serves the shared draft fixtures on 127.0.0.1 (for `npm start` and the browser tests),
// plus pages registered at run time (tests build revised or hostile pages this way).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DRAFTS = fileURLToPath(new URL('../../shared/fixtures/drafts/', import.meta.url));

export async function serveDrafts({ port = 0, host = '127.0.0.1', root = DRAFTS } = {}) {
  const routes = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (routes.has(path)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(routes.get(path));
      return;
    }
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || extname(file) !== '.html') {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(await readFile(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    origin: `http://${host}:${address.port}`,
    route: (path, html) => void routes.set(path, html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
