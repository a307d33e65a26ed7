/**
 * A load balancer in front of several server instances, as an organisation would run them behind
 * one address: each new TCP connection goes to the next instance in turn, or, once a test pins
 * one, to that instance (so a test knows which browser reached which instance).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface Balancer {
  url: string;
  /** From now on, every new connection goes to instance `index` (null: in turn again). */
  pin(index: number | null): void;
  close(): Promise<void>;
}

export function startBalancer(backends: number[]): Promise<Balancer> {
  let next = 0;
  let pinned: number | null = null;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const port = backends[pinned ?? next++ % backends.length];
    const upstream = connect(port, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `ws://127.0.0.1:${port}`,
        pin: (index) => (pinned = index),
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    }),
  );
}
