/**
 * How a surface reaches the hub inside the extension: ask the background to make sure the hub
 * exists (on Chrome it lives in an offscreen document created on demand), then open a port.
 */
import { browser } from 'wxt/browser';
import type { PortLike } from '../sync/port';
import { HubLink } from '../sync/hub-link';

export const HUB_PORT = 'margins-hub';
export const ENSURE_HUB = 'margins:ensure-hub';

export async function connectToHub(): Promise<PortLike> {
  const reply = (await browser.runtime.sendMessage({ type: ENSURE_HUB })) as { ok: boolean; error?: string } | undefined;
  if (!reply?.ok) throw new Error(reply?.error ?? 'The Margins hub did not start');
  return browser.runtime.connect({ name: HUB_PORT }) as unknown as PortLike;
}

/** A request line to the hub, for pages that show no review's comments (no Yjs in their bundle). */
export function hubLink(): HubLink {
  return new HubLink(connectToHub).start();
}
