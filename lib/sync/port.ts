/** The part of `runtime.Port` the sync code uses, so it runs the same in Node tests. */
export interface PortLike {
  name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

/** Two connected in-memory ports, asynchronous like the real thing. */
export function portPair(name = 'hub'): [PortLike, PortLike] {
  const make = () => ({
    messages: [] as ((m: unknown) => void)[],
    disconnects: [] as (() => void)[],
    closed: false,
  });
  const a = make();
  const b = make();
  const port = (self: typeof a, other: typeof a): PortLike => ({
    name,
    postMessage(message) {
      if (self.closed) throw new Error('Attempting to use a disconnected port object');
      const copy = structuredClone(message);
      queueMicrotask(() => !other.closed && other.messages.forEach((fn) => fn(copy)));
    },
    disconnect() {
      if (self.closed) return;
      self.closed = other.closed = true;
      queueMicrotask(() => other.disconnects.forEach((fn) => fn()));
    },
    onMessage: { addListener: (fn) => self.messages.push(fn) },
    onDisconnect: { addListener: (fn) => self.disconnects.push(fn) },
  });
  return [port(a, b), port(b, a)];
}
