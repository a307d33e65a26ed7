import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { ReviewRecord } from '../../lib/store/db';
import type { HubClient } from '../../lib/sync/hub-client';
import { utc } from '../../lib/page/time';
import { describeError } from '../common/describe-error';

/** The chair's overview: every review this browser knows, with its open comments and deadline. */
export function Dashboard({ client }: { client: HubClient }) {
  const [reviews, setReviews] = useState<ReviewRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    client.request('list', {}).then(setReviews, (e: unknown) => setError(describeError(e)));
  }, [client]);

  return (
    <main>
      <h1>{i18n.t('popupTitle')}</h1>
      {error ? <p role="alert">{error}</p> : null}
      {reviews && reviews.length === 0 ? <p class="empty">{i18n.t('popupEmpty')}</p> : null}
      <ul class="reviews">
        {reviews?.map((r) => (
          <li key={r.id} class="review" data-review={r.id}>
            <a
              href={r.url}
              onClick={(e) => {
                e.preventDefault();
                void browser.tabs.create({ url: r.url });
              }}
            >
              {r.title}
            </a>
            <div class="counts">
              <span class="open-count">{r.counts.open}</span> {i18n.t('openComments')} · {r.counts.resolved} {i18n.t('resolvedComments')}
              {r.closes ? <span> · {i18n.t('deadline', [utc(Date.parse(r.closes))])}</span> : null}
            </div>
          </li>
        ))}
      </ul>
    </main>
  );
}
