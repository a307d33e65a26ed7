/**
 * A backup restored in Firefox (issue 14): Firefox's hub lives in the background page, which
 * restarts itself to take the restored key. The backup is made in Node with the same code, as a
 * profile in another browser would have made it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, sealProfile } from '../../lib/identity';
import { launchFirefox, type Firefox } from './firefox';

const PASS = 'four words of passphrase';
let firefox: Firefox;

beforeAll(async () => {
  firefox = await launchFirefox();
});
afterAll(async () => {
  await firefox?.close();
});

/** A request to the hub from an extension page, through the extension's own port protocol. */
const request = (op: string, args: unknown) => `(async () => {
  await browser.runtime.sendMessage({ type: 'margins:ensure-hub' });
  const port = browser.runtime.connect({ name: 'margins-hub' });
  const reply = await new Promise((resolve) => {
    port.onMessage.addListener((m) => m.t === 'res' && m.id === 7 && resolve(m));
    port.onDisconnect.addListener(() => resolve({ ok: false, error: 'port closed' }));
    port.postMessage({ t: 'req', id: 7, op: ${JSON.stringify(op)}, args: ${JSON.stringify(args)} });
  });
  port.disconnect();
  return JSON.stringify(reply);
})()`;

async function ask(page: { evaluate(expression: string): Promise<unknown> }, op: string, args: unknown): Promise<{ ok: boolean; value?: any; error?: string }> {
  return JSON.parse((await page.evaluate(request(op, args))) as string);
}

describe('identity backup in Firefox', () => {
  it('restores a key made elsewhere, and the hub comes back with it', async () => {
    const identity = await generateIdentity();
    const file = await sealProfile({ identity, name: 'Ana Chair', groups: [], docs: [] }, PASS);
    const options = await firefox.openExtensionPage('/options.html');
    const before = await ask(options, 'whoami', {});
    expect(before.ok).toBe(true);
    expect(before.value.publicKey).not.toBe(identity.publicKey);

    const restored = await ask(options, 'restore-identity', { file, passphrase: PASS });
    expect(restored).toMatchObject({ ok: true, value: { publicKey: identity.publicKey } });
    let now = await ask(options, 'whoami', {});
    for (let i = 0; i < 50 && now.value?.publicKey !== identity.publicKey; i++) {
      await new Promise((r) => setTimeout(r, 200));
      now = await ask(options, 'whoami', {});
    }
    expect(now.value).toMatchObject({ publicKey: identity.publicKey, name: 'Ana Chair' });
  });
});
