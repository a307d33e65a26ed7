/**
 * "Test connection" for a group's server: does something at this address speak Margins'
 * signaling protocol (a ping answered with a pong)? Also says when an address cannot work for a
 * group spread over several computers.
 */
export type ServerCheck =
  | { ok: true; ms: number; warning?: 'local-only' | 'not-encrypted' }
  | { ok: false; reason: 'not-websocket' | 'unreachable' | 'no-answer' };

export type Socket = { onopen: (() => void) | null; onmessage: ((e: { data: unknown }) => void) | null; onerror: (() => void) | null; onclose: (() => void) | null; send(data: string): void; close(): void };

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Whether a URL's hostname names this machine only (no other computer reaches it). */
export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname);

/** What is wrong with an address for a group whose members use other computers, if anything. */
export function addressWarning(address: string): 'local-only' | 'not-encrypted' | undefined {
  const url = new URL(address);
  if (isLoopbackHost(url.hostname)) return 'local-only';
  if (url.protocol === 'ws:') return 'not-encrypted';
  return undefined;
}

export async function checkServer(address: string, open: (url: string) => Socket, timeoutMs = 5_000): Promise<ServerCheck> {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return { ok: false, reason: 'not-websocket' };
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return { ok: false, reason: 'not-websocket' };
  const started = Date.now();
  return new Promise((resolve) => {
    let socket: Socket;
    let opened = false;
    const done = (result: ServerCheck) => {
      clearTimeout(timer);
      resolve(result);
      try {
        socket.close();
      } catch {
        // already closed
      }
    };
    const timer = setTimeout(() => done({ ok: false, reason: opened ? 'no-answer' : 'unreachable' }), timeoutMs);
    try {
      socket = open(url.toString());
    } catch {
      return done({ ok: false, reason: 'unreachable' });
    }
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ type: 'ping' }));
    };
    socket.onmessage = (e) => {
      try {
        if ((JSON.parse(String(e.data)) as { type?: string }).type !== 'pong') return;
      } catch {
        return;
      }
      const warning = addressWarning(url.toString());
      done({ ok: true, ms: Date.now() - started, ...(warning ? { warning } : {}) });
    };
    socket.onerror = () => done({ ok: false, reason: opened ? 'no-answer' : 'unreachable' });
    socket.onclose = () => done({ ok: false, reason: opened ? 'no-answer' : 'unreachable' });
  });
}
