import { describe, expect, it } from 'vitest';
import { originPattern, SITES_SCRIPT_ID, syncSiteScripts, type SiteAccessApi } from '../../lib/extension/site-access';

/** The browser's permission and script registries, as state: the real ones need a user's click. */
function registries(origins: string[]) {
  const scripts = new Map<string, { id: string; matches: string[] }>();
  const api: SiteAccessApi = {
    permissions: { getAll: async () => ({ origins: [...origins] }) },
    scripting: {
      getRegisteredContentScripts: async ({ ids }) => ids.flatMap((id) => (scripts.has(id) ? [{ ...scripts.get(id)! }] : [])),
      registerContentScripts: async (list) => {
        for (const s of list) {
          if (scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
          scripts.set(s.id, { id: s.id, matches: s.matches });
        }
      },
      updateContentScripts: async (list) => {
        for (const s of list) scripts.set(s.id, { ...scripts.get(s.id)!, matches: s.matches });
      },
      unregisterContentScripts: async ({ ids }) => ids.forEach((id) => scripts.delete(id)),
    },
  };
  return { api, scripts, origins };
}

describe('always open on this site', () => {
  it('turns a page URL into its origin pattern, and refuses what is not a web page', () => {
    expect(originPattern('http://127.0.0.1:8377/programme-framework-v1.html?x=1#s2')).toBe('http://127.0.0.1/*');
    expect(originPattern('https://www.intgovforum.org/en/content/draft')).toBe('https://www.intgovforum.org/*');
    expect(originPattern('file:///tmp/draft.html')).toBeNull();
    expect(originPattern('chrome://extensions')).toBeNull();
    expect(originPattern('not a url')).toBeNull();
    expect(originPattern(undefined)).toBeNull();
  });

  it('registers the overlay for exactly the granted origins, follows grants and revocations', async () => {
    const r = registries(['https://a.example/*']);
    expect(await syncSiteScripts(r.api, '/overlay.js')).toEqual(['https://a.example/*']);
    expect(r.scripts.get(SITES_SCRIPT_ID)?.matches).toEqual(['https://a.example/*']);
    r.origins.push('http://127.0.0.1/*', '<all_urls>');
    await syncSiteScripts(r.api, '/overlay.js');
    await syncSiteScripts(r.api, '/overlay.js'); // idempotent: no duplicate registration
    expect(r.scripts.get(SITES_SCRIPT_ID)?.matches).toEqual(['http://127.0.0.1/*', 'https://a.example/*']);
    r.origins.splice(0);
    await syncSiteScripts(r.api, '/overlay.js');
    expect(r.scripts.size).toBe(0);
  });
});
