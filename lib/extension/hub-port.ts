/**
 * How a surface reaches the hub inside the extension: ask the background to make sure the hub
 * exists (on Chrome it lives in an offscreen document created on demand), then open a port.
 */
import { browser } from 'wxt/browser';
import type { PortLike } from '../sync/port';
import { HubClient } from '../sync/hub-client';

export const HUB_PORT = 'margins-hub';
export const ENSURE_HUB = 'margins:ensure-hub';

export async function connectToHub(): Promise<PortLike> {
  const reply = (await browser.runtime.sendMessage({ type: ENSURE_HUB })) as { ok: boolean; error?: string } | undefined;
  if (!reply?.ok) throw new Error(reply?.error ?? 'The Margins hub did not start');
  return browser.runtime.connect({ name: HUB_PORT }) as unknown as PortLike;
}

export function hubClient(): HubClient {
  return new HubClient(connectToHub).start();
}
