/**
 * Starts Node peers (node-peer.ts) in their own processes and talks to them by JSON lines.
 * node-peer.ts and the lib/ code it uses are bundled once per test process with esbuild (packages
 * stay imports): ten peers starting through tsx's loader spent most of a two-core machine's first
 * seconds compiling the same files ten times.
 * PEER_NODE_ARGS adds Node flags to every peer (for instance `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, it } from 'vitest';
import { DEFAULTS, startSignalingServer, type SignalingServer } from '../../server/signaling-server.mjs';

const SOURCE = fileURLToPath(new URL('./node-peer.ts', import.meta.url));
// Inside the repository, so that the bundle's package imports resolve from node_modules.
const CACHE = fileURLToPath(new URL('../../node_modules/.cache/margins-peers/', import.meta.url));

let bundled: Promise<string> | null = null;

/** Every peer process still running, and how many died of SIGSEGV after saying they were ready. */
const running = new Set<ChildProcess>();
let crashedAfterStart = 0;

/** The peer as one ES module, named by its content so that concurrent test files share it safely. */
function bundle(): Promise<string> {
  bundled ??= build({ entryPoints: [SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', write: false }).then(
    (result) => {
      const code = result.outputFiles[0].contents;
      const file = `${CACHE}node-peer.${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`;
      if (!existsSync(file)) {
        mkdirSync(CACHE, { recursive: true });
        writeFileSync(`${file}.${process.pid}`, code);
        renameSync(`${file}.${process.pid}`, file);
      }
      return file;
    },
  );
  return bundled;
}

/**
 * For a test file of peers: a signaling server (with `limits` in place of its defaults) started
 * before its tests, and every peer pushed on `peers` stopped after them, with the server.
 */
export function usePeerRoom(limits: Partial<typeof DEFAULTS> = {}): { url: () => string; peers: Peer[] } {
  let signaling: SignalingServer | undefined;
  const peers: Peer[] = [];
  beforeAll(async () => {
    signaling = await startSignalingServer({ ...limits, port: 0, quiet: true });
  });
  afterAll(async () => {
    peers.forEach((p) => p.stop());
    await signaling?.close();
  });
  return { url: () => signaling!.url, peers };
}

/** Reads until `ok` holds or `timeout` ms have passed; the last value read either way. */
export async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeout = 30_000): Promise<T> {
  let value = await read();
  for (const deadline = Date.now() + timeout; !ok(value) && Date.now() < deadline; value = await read()) await new Promise((r) => setTimeout(r, 200));
  return value;
}

export interface Peer {
  name: string;
  send<T = any>(op: string, args?: Record<string, unknown>): Promise<T>;
  stop(): void;
}

/**
 * A chair with a group and a review, and members who joined it, found the review and were admitted:
 * the setup most peer tests start from. The chair writes `comments` first, when asked to.
 */
export async function startReviewRoom(signaling: string, chairName: string, memberNames: string[], comments = 0) {
  const [chair, ...members] = await Promise.all([chairName, ...memberNames].map((name) => startPeer(name, signaling)));
  const { invite } = await chair.send<{ invite: string }>('create-group');
  await chair.send('create-review');
  if (comments) await chair.send('comment', { n: comments });
  await Promise.all(members.map((m) => m.send('join', { invite })));
  await Promise.all(members.map((m) => m.send('await-review')));
  await Promise.all(members.map((m) => m.send('await-member')));
  return { chair, members, invite };
}

/**
 * `it` for a test of Node peers. @roamhq/wrtc, the Node binding these peers use for WebRTC (the
 * browsers use their own), kills a peer with SIGSEGV now and then: a send racing the other side's
 * hang-up reads a channel the binding freed on its own thread (docs/testing.md). When the test fails
 * and a peer of this process died that way while it ran, the failure is the binding's: the test's
 * peers are stopped and it runs once more from the start, with new peers, and says so. Any other
 * failure, or a second one, fails the test. `timeout` is one attempt's.
 */
export function peerTest(name: string, body: () => Promise<void>, timeout: number): void {
  it(
    name,
    async () => {
      const crashes = crashedAfterStart;
      const before = new Set(running);
      try {
        await body();
      } catch (error) {
        if (crashedAfterStart === crashes) throw error;
        for (const child of running) if (!before.has(child)) child.kill();
        process.stderr.write(`"${name}": a peer died of SIGSEGV inside @roamhq/wrtc while it ran, and it failed (${error}); running it once more\n`);
        await body();
      }
    },
    2 * timeout,
  );
}

/**
 * A peer that dies of SIGSEGV (see peerTest) before it has said it is ready is started once more,
 * and says so; a crash after that fails the test, with the signal named.
 */
export async function startPeer(name: string, signaling: string): Promise<Peer> {
  try {
    return await startPeerOnce(name, signaling);
  } catch (error) {
    if (!(error instanceof StartupCrash)) throw error;
    process.stderr.write(`peer ${name} crashed while starting (${error.message}); starting it again\n`);
    return startPeerOnce(name, signaling);
  }
}

class StartupCrash extends Error {}

async function startPeerOnce(name: string, signaling: string): Promise<Peer> {
  const script = await bundle();
  const flags = process.env.PEER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child: ChildProcess = spawn(process.execPath, [...flags, script], { env: { ...process.env, PEER_NAME: name, SIGNALING: signaling }, stdio: ['pipe', 'pipe', 'inherit'] });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  running.add(child);
  let gone: Error | null = null;
  // A command written to a peer that has just died fails with EPIPE. Unheard, that error failed a
  // whole run whose tests had passed (a peerTest rerun among them); the exit, below, rejects the
  // command with the reason instead.
  child.stdin!.on('error', () => {});
  return new Promise((ready, fail) => {
    child.once('error', fail);
    let started = false;
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (started && signal === 'SIGSEGV') crashedAfterStart++;
      gone = new Error(`peer ${name} exited (${signal ?? `code ${code}`})`);
      fail(!started && signal === 'SIGSEGV' ? new StartupCrash(gone.message) : gone);
      for (const w of waiting.values()) w.reject(gone);
      waiting.clear();
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let m: any;
      try {
        m = JSON.parse(line);
      } catch {
        return; // a library's log line
      }
      if (m.ready) {
        started = true;
        ready({
          name,
          send: (op, args = {}) =>
            new Promise((resolve, reject) => {
              if (gone) return reject(gone);
              const id = ++seq;
              waiting.set(id, { resolve, reject });
              child.stdin!.write(JSON.stringify({ ...args, op, seq: id }) + '\n');
            }),
          stop: () => child.kill(),
        });
      } else if (m.error && m.seq === undefined) {
        process.stderr.write(`peer ${name}: ${m.error}\n`);
      } else if (m.seq !== undefined) {
        const w = waiting.get(m.seq);
        waiting.delete(m.seq);
        if (m.ok) w?.resolve(m.value);
        else w?.reject(new Error(m.error));
      }
    });
  });
}
