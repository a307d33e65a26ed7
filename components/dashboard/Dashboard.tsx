import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { browser } from 'wxt/browser';
import type { ReviewRecord } from '../../lib/store/db';
import type { HubLink } from '../../lib/sync/hub-link';
import { describeError } from '../common/describe-error';
import { ReviewCard } from './ReviewCard';
import { Reminders } from './Reminders';
import { useNow } from '../common/use-now';
import { cachedList, keepList } from './list-cache';

/**
 * Every review this browser knows, live: the popup shows it compact, the full-page view (the
 * chair's desk) with every detail open. Opening a thread asks the draft's sidebar to select it.
 */
export function Dashboard({ client, full = false }: { client: HubLink; full?: boolean }) {
  // Last time's list first (drawn at once), the hub's as soon as it answers.
  const [reviews, setReviews] = useState<ReviewRecord[] | null>(cachedList);
  const [error, setError] = useState<string | null>(null);
  const now = useNow();
  const [hint, setHint] = useState(false);
  // dashboard.html#export=<review>: the draft's sidebar sent the chair here to export that review.
  const [exporting] = useState(() => new URLSearchParams(location.hash.slice(1)).get('export'));
  useEffect(() => {
    client.request('list', {}).then((list) => {
      performance.mark('margins:listed'); // for bench:dashboard
      setReviews(list);
      keepList(list);
    }, (e: unknown) => setError(describeError(e)));
    const off = client.onReview((record) =>
      setReviews((list) => {
        const rest = (list ?? []).filter((r) => r.id !== record.id);
        return [record, ...rest].sort((a, b) => b.updatedAt - a.updatedAt);
      }),
    );
    return off;
  }, [client]);

  const openDraft = (r: ReviewRecord) => void browser.tabs.create({ url: r.url });
  const openThread = async (r: ReviewRecord, thread: string) => {
    try {
      await client.request('focus', { review: r.id, thread });
      openDraft(r);
      setHint(true);
    } catch (e) {
      setError(describeError(e));
    }
  };

  return (
    <main class={full ? 'full' : 'compact'}>
      <h1>{i18n.t(full ? 'dashboardTitle' : 'popupTitle')}</h1>
      {error ? <p role="alert">{error}</p> : null}
      {hint ? <p class="hint">{i18n.t('focusHint')}</p> : null}
      {reviews?.some((r) => r.period?.closes) ? <Reminders /> : null}
      {reviews && reviews.length === 0 ? <p class="empty">{i18n.t('popupEmpty')}</p> : null}
      <ul class="reviews">
        {reviews?.map((r) => <ReviewCard key={r.id} client={client} record={r} now={now} full={full} exporting={r.id === exporting} onOpen={() => openDraft(r)} onThread={(t) => void openThread(r, t)} />)}
      </ul>
      {!full && reviews?.length ? (
        <p>
          <button type="button" class="link full-view" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL('/dashboard.html') })}>
            {i18n.t('openFullDashboard')}
          </button>
        </p>
      ) : null}
    </main>
  );
}
