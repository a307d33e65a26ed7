/**
 * Starts Node peers (node-peer.ts) in their own processes and talks to them by JSON lines.
 * PEER_NODE_ARGS adds Node flags to every peer (for instance `--cpu-prof --cpu-prof-dir=/tmp/p`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./node-peer.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface Peer {
  name: string;
  send<T = any>(op: string, args?: Record<string, unknown>): Promise<T>;
  stop(): void;
}

export function startPeer(name: string, signaling: string): Promise<Peer> {
  const child: ChildProcess = spawn(TSX, [...(process.env.PEER_NODE_ARGS?.split(" ") ?? []), SCRIPT], { env: { ...process.env, PEER_NAME: name, SIGNALING: signaling }, stdio: ['pipe', 'pipe', 'inherit'] });
  let seq = 0;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  return new Promise((ready, fail) => {
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      const gone = new Error(`peer ${name} exited (${signal ?? `code ${code}`})`);
      fail(gone);
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
        ready({
          name,
          send: (op, args = {}) =>
            new Promise((resolve, reject) => {
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
