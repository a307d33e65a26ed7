/**
 * Browser-to-browser latency for bench:sync: two Chromium processes with the built extension,
 * a chair and a member of one group, on loopback. The chair's hub receives 100 stamped comments
 * from an extension page 20 ms apart; a page in the member's browser, subscribed to the review
 * through the member's hub like the overlay is, notes when each stamp arrives. Both browsers run
 * on this machine, so their clocks are the same clock.
 */
import { hubRequest, launch, type Browser } from '../../tests/e2e/browser';

const CANONICAL = 'http://127.0.0.1/bench/draft';

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeout = 60_000): Promise<T> {
  for (const deadline = Date.now() + timeout; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const value = await probe();
    if (value) return value;
  }
  throw new Error(`timed out: ${what}`);
}

export async function browserLatency(signaling: string, edits = 100, gap = 20): Promise<number[]> {
  const browsers: Browser[] = await Promise.all([launch(), launch()]);
  const [chair, member] = browsers;
  // tsx names functions with a helper that pages do not have.
  for (const b of browsers) await b.context.addInitScript('globalThis.__name = (f) => f');
  try {
    await hubRequest(chair, 'set-name', { name: 'Chair' });
    const { invite } = await hubRequest(chair, 'create-group', { name: 'Bench WG', signaling: [signaling], iceServers: [] });
    await hubRequest(member, 'join-group', { invite, name: 'Member' });
    const { id } = await hubRequest(chair, 'create', { nonce: `bench${Date.now()}`, title: 'Draft', url: CANONICAL, canonical: CANONICAL });
    await until('the member finds the review', async () => (await hubRequest(member, 'find', { canonical: CANONICAL })).length > 0);
    await until('the member is admitted', async () => (await hubRequest(member, 'find', { canonical: CANONICAL }))[0]?.myRole === 'member');

    // The member's listening page: subscribes to the review (a sync step 1 for an empty doc).
    const listener = await member.context.newPage();
    await listener.goto(`chrome-extension://${member.extensionId}/popup.html`);
    await listener.evaluate((review) => {
      const w = globalThis as any;
      w.arrivals = new Map<string, number>();
      w.peers = 0;
      const port = w.chrome.runtime.connect({ name: 'margins-hub' });
      port.onMessage.addListener((m: any) => {
        if (m.review !== review) return;
        if (m.t === 'peers') w.peers = m.peers;
        if (m.t !== 'sync') return;
        const now = performance.timeOrigin + performance.now();
        const bytes = Uint8Array.from(atob(m.data.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
        for (const hit of new TextDecoder().decode(bytes).matchAll(/stamp:([0-9.]+)/g)) if (!w.arrivals.has(hit[1])) w.arrivals.set(hit[1], now);
      });
      port.postMessage({ t: 'sync', review, data: 'AAEA' });
    }, id);
    await until('the two browsers are connected', () => listener.evaluate(() => (globalThis as any).peers > 0));

    const sender = await chair.context.newPage();
    await sender.goto(`chrome-extension://${chair.extensionId}/popup.html`);
    await sender.evaluate(
      async ([review, n, gap]) => {
        const w = globalThis as any;
        const port = w.chrome.runtime.connect({ name: 'margins-hub' });
        for (let i = 0; i < n; i++) {
          const stamp = performance.timeOrigin + performance.now();
          const body = { type: 'comment.add', anchor: { quote: { type: 'TextQuoteSelector', exact: `stamp ${i}` } }, body: `stamp:${stamp}` };
          await new Promise((resolve) => {
            const onReply = (m: any) => m.t === 'res' && m.id === i && (port.onMessage.removeListener(onReply), resolve(m));
            port.onMessage.addListener(onReply);
            port.postMessage({ t: 'req', id: i, op: 'append', args: { review, id: `lat${i}x${Math.random().toString(36).slice(2)}`, body } });
          });
          await new Promise((r) => setTimeout(r, gap));
        }
      },
      [id, edits, gap] as const,
    );
    await until('every stamp arrived', () => listener.evaluate((n) => (globalThis as any).arrivals.size >= n, edits), 30_000);
    return await listener.evaluate(() => [...(globalThis as any).arrivals].map(([stamp, at]: [string, number]) => at - Number(stamp)));
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
  }
}
