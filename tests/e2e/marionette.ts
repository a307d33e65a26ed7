/**
 * A minimal Marionette client: Firefox's own remote protocol, over TCP, for the little a test must
 * do in the browser's privileged (chrome) scope. Firefox ESR 140.12 no longer lists chrome
 * contexts over WebDriver BiDi (`moz:scope` is gone), while Marionette's chrome context still works
 * with `-remote-allow-system-access`. Marionette owns the WebDriver session (with `webSocketUrl`,
 * so the same session also speaks BiDi); puppeteer attaches to it (see firefox.ts).
 *
 * Wire format: `<length>:<JSON>`; a command is `[0, id, name, params]`, its answer
 * `[1, id, error, result]`.
 */
import { connect, type Socket } from 'node:net';

export class Marionette {
  private buffer = Buffer.alloc(0);
  private nextId = 0;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private hello: Promise<void>;

  private constructor(private socket: Socket) {
    let greeted: () => void;
    this.hello = new Promise((r) => (greeted = r));
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      for (;;) {
        const colon = this.buffer.indexOf(0x3a);
        if (colon < 0) return;
        const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
        if (this.buffer.length < colon + 1 + length) return;
        const message = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8')) as unknown;
        this.buffer = this.buffer.subarray(colon + 1 + length);
        if (!Array.isArray(message)) greeted(); // the server's greeting
        else this.answer(message as [number, number, { error: string; message: string } | null, unknown]);
      }
    });
    socket.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('Marionette closed the connection'));
      this.waiting.clear();
    });
  }

  static async connect(port: number): Promise<Marionette> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new Marionette(socket);
    await client.hello;
    return client;
  }

  private answer([, id, error, result]: [number, number, { error: string; message: string } | null, unknown]): void {
    const w = this.waiting.get(id);
    this.waiting.delete(id);
    if (error) w?.reject(new Error(`Marionette: ${error.error}: ${error.message}`));
    else w?.resolve(result);
  }

  send<T = unknown>(name: string, params: object = {}): Promise<T> {
    const id = ++this.nextId;
    const text = JSON.stringify([0, id, name, params]);
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${Buffer.byteLength(text)}:${text}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
