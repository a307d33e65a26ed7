/**
 * Opens the review panel: Chrome's side panel, Firefox's sidebar. Browsers allow it only inside the
 * user's gesture, so callers call this first, before any `await`.
 */
import { browser } from 'wxt/browser';

interface PanelApis {
  sidePanel?: { open(options: { tabId: number } | { windowId: number }): Promise<void> };
  sidebarAction?: { open(): Promise<void> };
}

export function openPanel(target: { tabId?: number; windowId?: number }): Promise<void> {
  const api = browser as unknown as PanelApis;
  if (api.sidePanel) {
    if (target.tabId !== undefined) return api.sidePanel.open({ tabId: target.tabId });
    if (target.windowId !== undefined) return api.sidePanel.open({ windowId: target.windowId });
    return Promise.reject(new Error('no tab or window to open the panel in'));
  }
  if (api.sidebarAction) return api.sidebarAction.open();
  return Promise.reject(new Error('this browser has no side panel'));
}
