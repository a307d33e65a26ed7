// Serves the sample drafts (samples/) on 127.0.0.1 for `npm start` and the browser tests, an
// index of them at `/`, and pages registered at run time (tests build revised or hostile pages
// this way). Anything else is a 404; a failed read never takes the server down.
import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DRAFTS = fileURLToPath(new URL('../samples/', import.meta.url));

const escape = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function indexPage(root) {
  const files = (await readdir(root)).filter((f) => extname(f) === '.html').sort();
  const items = await Promise.all(
    files.map(async (f) => {
      const title = /<title>([^<]*)<\/title>/i.exec(await readFile(join(root, f), 'utf8'))?.[1] ?? f;
      return `<li><a href="/${encodeURIComponent(f)}">${escape(title)}</a> <small>${escape(f)}</small></li>`;
    }),
  );
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Margins sample drafts</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:2em auto;padding:0 1em}small{color:#555}</style>
<h1>Margins sample drafts</h1>
<p>Open a draft, press the Margins toolbar button, select a passage and comment.</p>
<ul>${items.join('')}</ul>`;
}

export async function serveDrafts({ port = 0, host = '127.0.0.1', root = DRAFTS } = {}) {
  const routes = new Map();
  const server = createServer(async (req, res) => {
    const html = (status, body) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return html(400, 'bad request');
    }
    if (routes.has(path)) return html(200, routes.get(path));
    if (path === '/') return html(200, await indexPage(root).catch(() => 'no samples'));
    const file = normalize(join(root, path));
    if (!file.startsWith(root) || extname(file) !== '.html') return html(404, 'not found');
    // Read first, answer after: a missing file is a 404, not a crash.
    const body = await readFile(file).catch(() => null);
    html(body ? 200 : 404, body ?? 'not found');
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
