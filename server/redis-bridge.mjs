// Several signaling servers behind one address (a load balancer) share their rooms through Redis
// pub/sub: a client on one instance meets clients of the same room on any other. Each instance
// listens on a Redis channel per room that has a local client, and publishes what its clients send
// there; it drops its own messages coming back. Rooms stay hashes: Redis sees what an instance does.
import { randomUUID } from 'node:crypto';

const CHANNEL = 'margins:room:';

/** Connects to Redis at `url`; `log(event, fields)` hears connection trouble. */
export async function redisBridge(url, log) {
  const { Redis } = await import('ioredis');
  const options = { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 5_000) };
  const pub = new Redis(url, options);
  const sub = new Redis(url, options);
  for (const [name, client] of [['pub', pub], ['sub', sub]]) client.on('error', (error) => log('redis-error', { client: name, error: error.message }));
  await Promise.all([pub.ping(), sub.ping()]);
  const self = randomUUID();
  let deliver = () => {};
  sub.on('message', (channel, message) => {
    const at = message.indexOf('\n');
    if (at < 0 || message.slice(0, at) === self || !channel.startsWith(CHANNEL)) return;
    deliver(channel.slice(CHANNEL.length), message.slice(at + 1));
  });
  return {
    /** `fn(topic, data)` delivers a message from another instance to this one's clients of the room. */
    onRemote(fn) {
      deliver = fn;
    },
    /** The first client of this instance joined the room. */
    subscribed: (topic) => void sub.subscribe(CHANNEL + topic).catch((e) => log('redis-error', { error: e.message })),
    /** The last client of this instance left the room. */
    unsubscribed: (topic) => void sub.unsubscribe(CHANNEL + topic).catch((e) => log('redis-error', { error: e.message })),
    publish: (topic, data) => void pub.publish(CHANNEL + topic, `${self}\n${data}`).catch((e) => log('redis-error', { error: e.message })),
    close: () => Promise.all([pub.quit(), sub.quit()]).then(() => undefined),
  };
}
