/** Starts this profile's hub in the current extension page and accepts surfaces' ports. */
import { browser } from 'wxt/browser';
import { Hub } from '../hub/hub';
import { MarginsDB } from '../store/db';
import { WebrtcNetwork } from '../sync/webrtc-network';
import type { PortLike } from '../sync/port';
import { EXTENSION_ACCESS, PAGE_ACCESS, type PortAccess } from '../hub/port-access';
import { HUB_PORT } from './hub-port';

export async function startHub(): Promise<Hub> {
  // Listen first: a surface may connect, and send, while the database is still opening. A port
  // drops messages nobody listens for, so they are held until the hub can take them.
  const early: { port: PortLike; access: PortAccess; messages: unknown[] }[] = [];
  let hub: Hub | null = null;
  const ours = browser.runtime.getURL('/');
  browser.runtime.onConnect.addListener((raw) => {
    const port = raw as unknown as PortLike;
    if (port.name !== HUB_PORT) return;
    // An extension page's address is on our origin; a content script's is the draft page's. The
    // page agent never connects: such a port is closed at once (and the hub refuses it everything
    // should one slip through).
    const access: PortAccess = raw.sender?.url?.startsWith(ours) && raw.sender.id === browser.runtime.id ? EXTENSION_ACCESS : PAGE_ACCESS;
    if (access.scope !== 'extension') return port.disconnect();
    if (hub) return hub.connect(port, access);
    const waiting = { port, access, messages: [] as unknown[] };
    port.onMessage.addListener((m) => {
      if (early.includes(waiting)) waiting.messages.push(m);
    });
    early.push(waiting);
  });
  const network = new WebrtcNetwork();
  let unhandled = 0;
  addEventListener('unhandledrejection', (event) => {
    unhandled++;
    if (hub) hub.unhandledErrors = unhandled;
  });
  addEventListener('error', () => {
    unhandled++;
    if (hub) hub.unhandledErrors = unhandled;
  });
  // Ask that the browser not evict this profile's database under storage pressure (it may say no;
  // the hub writes back what it holds if the database goes anyway).
  void navigator.storage?.persist?.().catch(() => false);
  hub = await Hub.start(new MarginsDB(), Date.now, network);
  hub.unhandledErrors = unhandled;
  // A restored identity takes effect in a fresh hub: the page starts over (surfaces reconnect).
  hub.restart = () => location.reload();
  for (const { port, access, messages } of early.splice(0)) hub.connect(port, access, messages);
  return hub;
}
