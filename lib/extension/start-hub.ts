/** Starts this profile's hub in the current extension page and accepts surfaces' ports. */
import { browser } from 'wxt/browser';
import { Hub } from '../hub/hub';
import { MarginsDB } from '../store/db';
import type { PortLike } from '../sync/port';
import { HUB_PORT } from './hub-port';

export async function startHub(): Promise<Hub> {
  const early: PortLike[] = [];
  // Listen first: a surface may connect while the database is still opening.
  let hub: Hub | null = null;
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== HUB_PORT) return;
    if (hub) hub.connect(port as unknown as PortLike);
    else early.push(port as unknown as PortLike);
  });
  hub = await Hub.start(new MarginsDB());
  for (const port of early.splice(0)) hub.connect(port);
  return hub;
}
