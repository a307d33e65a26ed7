#!/usr/bin/env node
// `npm start`: build the Chrome extension, serve the sample drafts on 127.0.0.1, and open
// Chromium with the extension loaded on a draft. Where no browser or display is found, it says
// so, keeps serving the drafts, and prints how to load the extension by hand.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium'].filter(Boolean);
const browser = candidates.find((p) => existsSync(p));
const hasDisplay = process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

console.log(`\nSample drafts: ${server.origin}/ (programme-framework-v1.html, programme-framework-v2.html, mag-wg-mwp-2018-08-15.html)`);
if (!browser) {
  console.log(`\nNo Chromium found (set CHROME_PATH to use another). Google Chrome ignores --load-extension, so load it by hand.${manual}`);
} else if (!hasDisplay) {
  console.log(`\nNo display found (DISPLAY / WAYLAND_DISPLAY unset), so no browser window can open here.${manual}`);
} else {
  mkdirSync(PROFILE, { recursive: true });
  const child = spawn(browser, [`--user-data-dir=${PROFILE}`, `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`, '--no-first-run', url], {
    stdio: 'ignore',
  });
  child.on('exit', () => {
    console.log('Browser closed; stopping.');
    void Promise.all([server.close(), signaling?.close()]).then(() => process.exit(0));
  });
  console.log(`\nOpened ${browser} with Margins on ${url}\nClick the Margins toolbar button (pin it from the puzzle-piece menu), select a passage, and comment.`);
}
console.log('\nPress Ctrl+C to stop.');
process.on('SIGINT', () => void Promise.all([server.close(), signaling?.close()]).then(() => process.exit(0)));
