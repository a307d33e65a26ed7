#!/usr/bin/env node
// `npm start`: build the Chrome extension, serve the sample drafts on 127.0.0.1, and open
// Chromium with the extension loaded on a draft. Where no browser or display is found, it says
// so, keeps serving the drafts, and prints how to load the extension by hand.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveDrafts } from './serve-drafts.mjs';
import { startSignalingServer } from '../server/signaling-server.mjs';

const EXTENSION = resolve('.output/chrome-mv3');
const PROFILE = resolve('.profiles/demo');
const DRAFT = '/programme-framework-v1.html';

if (spawnSync('npx', ['wxt', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1);

const server = await serveDrafts({ port: Number(process.env.PORT ?? 8377) }).catch(() => serveDrafts());
const url = server.origin + DRAFT;
// The demo's groups use ws://127.0.0.1:4444 by default (the options page suggests it).
const signaling = await startSignalingServer({ quiet: true }).catch((error) => {
  console.log(`Signaling server not started (${error.code ?? error.message}); peer-to-peer sync needs one on ws://127.0.0.1:4444.`);
  return null;
});
if (signaling) console.log(`Signaling server: ${signaling.url} (health: ${signaling.url.replace('ws:', 'http:')}/health)`);

const manual = `
To load Margins by hand: open chrome://extensions, switch on "Developer mode",
choose "Load unpacked" and pick ${EXTENSION}
Then open ${url} and click the Margins toolbar button.`;

// CHROMIUM_PATH as the tests read it; CHROME_PATH as WXT's runner does.
const candidates = [process.env.CHROMIUM_PATH, process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium'].filter(Boolean);
const browser = candidates.find((p) => existsSync(p));
const hasDisplay = process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

const drafts = readdirSync(resolve('samples')).filter((f) => f.endsWith('.html')).sort();
console.log(`\nSample drafts: ${server.origin}/ (${drafts.join(', ')})`);
if (!browser) {
  console.log(`\nNo Chromium found (set CHROMIUM_PATH to use another). Google Chrome ignores --load-extension, so load it by hand.${manual}`);
} else if (!hasDisplay) {
  console.log(`\nNo display found (DISPLAY / WAYLAND_DISPLAY unset), so no browser window can open here.${manual}`);
} else {
  mkdirSync(PROFILE, { recursive: true });
  // Chromium refuses to run as root with its sandbox on; a root shell (a container) gets it off, and is told.
  const root = process.getuid?.() === 0;
  if (root) console.log('\nRunning as root: Chromium starts without its sandbox (--no-sandbox). Run npm start as a normal user to keep it.');
  const args = [`--user-data-dir=${PROFILE}`, `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, '--no-first-run', ...(root ? ['--no-sandbox'] : []), url];
  const child = spawn(browser, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // Kept to say why, should the browser stop at once; its chatter otherwise stays out of the way.
  let errors = '';
  child.stderr.on('data', (chunk) => (errors = (errors + chunk).slice(-4000)));
  child.on('exit', (code) => {
    if (code) console.log(`Chromium exited with code ${code}:\n${errors.trim().split('\n').slice(-8).join('\n')}${manual}`);
    console.log('Browser closed; stopping.');
    void Promise.all([server.close(), signaling?.close()]).then(() => process.exit(0));
  });
  console.log(`\nOpened ${browser} with Margins on ${url}\nClick the Margins toolbar button (pin it from the puzzle-piece menu), select a passage, and comment.`);
}
console.log('\nPress Ctrl+C to stop.');
process.on('SIGINT', () => void Promise.all([server.close(), signaling?.close()]).then(() => process.exit(0)));
