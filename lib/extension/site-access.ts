/**
 * "Always open on this site": the user grants one origin's optional host permission, and the
 * overlay is registered as a content script for exactly the granted origins. Permissions are
 * the single source of truth — the registration is recomputed from them whenever they change
 * (granted in the popup, revoked in the options page or in the browser's own settings).
 */
export const SITES_SCRIPT_ID = 'margins-sites';

/** The match pattern for a page's origin, or null where Margins does not open automatically. */
export function originPattern(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    // Match patterns take a host without a port: the port is matched by any pattern on the host.
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}

/** The slice of the WebExtension API this needs (chrome.* / browser.*). */
export interface SiteAccessApi {
  permissions: { getAll(): Promise<{ origins?: string[] }> };
  scripting: {
    getRegisteredContentScripts(filter: { ids: string[] }): Promise<{ id: string; matches?: string[] }[]>;
    registerContentScripts(scripts: { id: string; matches: string[]; js: string[]; runAt: 'document_idle'; persistAcrossSessions: boolean }[]): Promise<void>;
    updateContentScripts(scripts: { id: string; matches: string[] }[]): Promise<void>;
    unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  };
}

/** Origins the user granted, in a stable order. */
export async function grantedSites(api: SiteAccessApi): Promise<string[]> {
  const { origins = [] } = await api.permissions.getAll();
  return origins.filter((o) => /^https?:\/\/[^/*]+\/\*$/.test(o)).sort();
}

/** Makes the registered overlay script match exactly the granted sites. */
export async function syncSiteScripts(api: SiteAccessApi, script: string): Promise<string[]> {
  const sites = await grantedSites(api);
  const [existing] = await api.scripting.getRegisteredContentScripts({ ids: [SITES_SCRIPT_ID] });
  if (!sites.length) {
    if (existing) await api.scripting.unregisterContentScripts({ ids: [SITES_SCRIPT_ID] });
  } else if (!existing) {
    await api.scripting.registerContentScripts([{ id: SITES_SCRIPT_ID, matches: sites, js: [script], runAt: 'document_idle', persistAcrossSessions: true }]);
  } else if ((existing.matches ?? []).join() !== sites.join()) {
    await api.scripting.updateContentScripts([{ id: SITES_SCRIPT_ID, matches: sites }]);
  }
  return sites;
}
