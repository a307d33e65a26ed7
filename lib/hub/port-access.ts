/**
 * Who is at the other end of a hub port, decided when it connects from its sender
 * (lib/extension/start-hub). The extension's own pages (the review panel, popup, dashboard,
 * options and join pages, the background) may do anything. A content script runs inside a draft's
 * page, which Margins does not control, and gets nothing: the page agent needs no review, no name
 * and no group, because the panel sends it the anchors it places (lib/page/link).
 */
export type PortAccess = { scope: 'extension' } | { scope: 'page' };

export const EXTENSION_ACCESS: PortAccess = { scope: 'extension' };
export const PAGE_ACCESS: PortAccess = { scope: 'page' };

export const PAGE_REFUSAL = "a page's content script has no access to the hub";
