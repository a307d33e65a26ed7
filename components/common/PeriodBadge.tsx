import { i18n } from '#i18n';
import { countdown } from '../../lib/extension/countdown';
import { periodStatus } from '../../lib/review/period';
import type { Period } from '../../lib/review/state';
import { utc } from '../../lib/page/time';


let localFormat: Intl.DateTimeFormat | null = null;

/** An instant as the group schedules it (UTC) with the reader's local time beside it. */
export function utcAndLocal(iso: string): string {
  const ms = Date.parse(iso);
  // One formatter for every card: making one costs more than formatting with it.
  localFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  const local = localFormat.format(ms);
  return i18n.t('utcAndLocal', [utc(ms), local]);
}

/** The period's phase and countdown, with its dates: the sidebar's header and each dashboard card. */
export function PeriodBadge({ period, now }: { period: Period | null | undefined; now: number }) {
  const status = periodStatus(period ?? null, now);
  if (status.phase === 'none') return <p class="period none">{i18n.t('periodNone')}</p>;
  const left = status.remaining === null ? '' : countdown(status.remaining);
  const label = {
    upcoming: () => i18n.t('periodUpcoming', [left]),
    open: () => (status.remaining === null ? i18n.t('periodOpenNoEnd') : i18n.t('periodOpen', [left])),
    closing: () => i18n.t('periodClosing', [left]),
    closed: () => (status.membersMayComment ? i18n.t('periodClosedLate') : i18n.t('periodClosed')),
  }[status.phase]();
  return (
    <p class={`period ${status.phase}`} data-phase={status.phase}>
      <strong>{label}</strong>
      {period?.closes ? <span class="dates"> · {i18n.t('periodCloses', [utcAndLocal(period.closes)])}</span> : null}
    </p>
  );
}
