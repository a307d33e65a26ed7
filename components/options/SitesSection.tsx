import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import { OVERLAY_SCRIPT } from '../../lib/extension/inject-overlay';
import { grantedSites, syncSiteScripts, type SiteAccessApi } from '../../lib/extension/site-access';

const api = () => browser as unknown as SiteAccessApi;

/** Sites where the overlay opens by itself, each with a way to take that back. */
export function SitesSection() {
  const [sites, setSites] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => grantedSites(api()).then(setSites, (e: Error) => setError(e.message));
  useEffect(() => {
    void refresh();
    const onChange = () => void refresh();
    browser.permissions.onRemoved.addListener(onChange);
    browser.permissions.onAdded.addListener(onChange);
    return () => {
      browser.permissions.onRemoved.removeListener(onChange);
      browser.permissions.onAdded.removeListener(onChange);
    };
  }, []);

  const revoke = async (site: string) => {
    try {
      await browser.permissions.remove({ origins: [site] });
      await syncSiteScripts(api(), OVERLAY_SCRIPT);
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <section class="sites" aria-labelledby="sites-heading">
      <h2 id="sites-heading">{i18n.t('sitesHeading')}</h2>
      {sites?.length === 0 ? <p class="empty">{i18n.t('sitesEmpty')}</p> : null}
      <ul>
        {sites?.map((site) => (
          <li key={site} class="site">
            <code>{site}</code>{' '}
            <button type="button" class="revoke" onClick={() => void revoke(site)} aria-label={i18n.t('sitesRevokeLabel', [site])}>
              {i18n.t('sitesRevoke')}
            </button>
          </li>
        ))}
      </ul>
      {error ? <p role="alert">{error}</p> : null}
    </section>
  );
}
