/**
 * Requests sent by the background to the overlay in a tab (context menu, browser shortcut).
 * Messages that arrive while the overlay is still mounting are kept until it listens.
 */
import { browser } from 'wxt/browser';

/** What the overlay sees of it: a way to hear "comment on the selection". */
export interface Intents {
  subscribe(listener: () => void): () => void;
}

export const COMMENT_ON_SELECTION = 'margins:comment-on-selection';

export function listenForIntents(): Intents & { stop(): void } {
  const listeners = new Set<() => void>();
  let missed = 0;
  const onMessage = (message: unknown, sender: { id?: string }) => {
    // Only our own background may ask; pages cannot message a content script, other extensions can.
    if (sender.id !== browser.runtime.id || (message as { type?: string })?.type !== COMMENT_ON_SELECTION) return;
    if (listeners.size) for (const l of listeners) l();
    else missed++;
  };
  browser.runtime.onMessage.addListener(onMessage);
  return {
    subscribe(listener) {
      listeners.add(listener);
      for (; missed > 0; missed--) listener();
      return () => listeners.delete(listener);
    },
    stop: () => browser.runtime.onMessage.removeListener(onMessage),
  };
}
