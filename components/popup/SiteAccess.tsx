import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import { originPattern } from '../../lib/extension/site-access';

/**
 * "Always open on this site": asks for this origin's host permission. The background registers
 * the overlay for granted origins (it hears permissions.onAdded), so closing the popup while the
 * browser asks loses nothing.
 */
export function SiteAccess({ url }: { url: string | undefined }) {
  const pattern = originPattern(url);
  const [granted, setGranted] = useState<boolean | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (pattern) browser.permissions.contains({ origins: [pattern] }).then(setGranted, () => setGranted(false));
  }, [pattern]);
  if (!pattern || granted === null) return null;
  const host = new URL(url!).hostname;
  return (
    <div class="site-access">
      {granted ? (
        <p class="granted">{i18n.t('alwaysOpenGranted', [host])}</p>
      ) : (
        <button
          type="button"
          class="always-open"
          onClick={() => {
            // Must run inside the click: the browser asks only in answer to a user gesture.
            browser.permissions.request({ origins: [pattern] }).then(setGranted, (e: Error) => setError(e.message));
          }}
        >
          {i18n.t('alwaysOpen', [host])}
        </button>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
