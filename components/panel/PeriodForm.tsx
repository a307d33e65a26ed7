import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { EventBody } from '../../lib/review/events';
import { closableNow } from '../../lib/review/period';
import type { Period } from '../../lib/review/state';
import { utc } from '../../lib/page/time';
import { Time } from '../common/Time';
import { useRemembered } from './remembered';

/** `datetime-local` speaks the reader's local time; the review stores UTC. */
const toLocalInput = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const toUtc = (local: string) => (local ? new Date(local).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);

/**
 * The chair sets, extends or closes the review period. Times are entered in local time and kept in
 * UTC; each change carries its reason into the review's history. The panel draws the form anew for
 * each period (its fields start from it); whether it is open, and the focus after a save, are kept
 * across that. A failed save is shown by the panel, like any refused change.
 */
export function PeriodForm({ period, history, onSave, now }: { period: Period | null; history: Period[]; onSave: (body: EventBody) => Promise<void>; now: () => number }) {
  const [opens, setOpens] = useState(toLocalInput(period?.opens ?? null));
  const [closes, setCloses] = useState(toLocalInput(period?.closes ?? null));
  const [late, setLate] = useState(period?.late ?? true);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useRemembered('period-form-open', false);
  // When this form's own save was sent (0: none): the form drawn for the saved period takes the
  // focus back, if it comes within a few seconds (a form drawn later, for another reason, does not).
  const [refocus, setRefocus] = useRemembered('period-form-refocus', 0);
  const saveButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (!refocus) return;
    if (Date.now() - refocus < 5_000) saveButton.current?.focus();
    setRefocus(0);
  }, []);
  const save = async (body: EventBody) => {
    setBusy(true);
    setRefocus(Date.now()); // the saved period draws a new form: focus goes to its Save button
    try {
      await onSave(body);
      setReason('');
    } catch {
      setRefocus(0); // shown by the panel; the form keeps what was entered
    } finally {
      setBusy(false);
    }
  };
  const closesUtc = toUtc(closes);
  return (
    <details class="period-form" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{i18n.t('periodSet')}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save({ type: 'period.set', opens: toUtc(opens), closes: closesUtc, late, ...(reason.trim() ? { reason: reason.trim() } : {}) });
        }}
      >
        <label>
          {i18n.t('periodOpensLabel')}
          <input type="datetime-local" class="opens" value={opens} onInput={(e) => setOpens((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {i18n.t('periodClosesLabel')}
          <input type="datetime-local" class="closes" value={closes} onInput={(e) => setCloses((e.target as HTMLInputElement).value)} />
        </label>
        {closesUtc ? <p class="utc-hint">{i18n.t('periodInUtc', [closesUtc.replace('T', ' ').slice(0, 16) + ' UTC'])}</p> : null}
        <label class="inline">
          <input type="checkbox" class="allow-late" checked={late} onChange={(e) => setLate((e.target as HTMLInputElement).checked)} /> {i18n.t('periodAllowLate')}
        </label>
        <label>
          {i18n.t('periodReason')}
          <input class="reason" value={reason} maxLength={500} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        </label>
        <div class="actions">
          <button ref={saveButton} type="submit" class="primary save-period" disabled={busy}>
            {i18n.t('periodSave')}
          </button>
          {closableNow(period, now()) ? (
            <button
              type="button"
              class="close-now"
              disabled={busy}
              onClick={() => void save({ type: 'period.set', opens: period!.opens, closes: new Date(now()).toISOString().replace(/\.\d{3}Z$/, 'Z'), late, reason: reason.trim() || i18n.t('periodClosedEarly') })}
            >
              {i18n.t('periodCloseNow')}
            </button>
          ) : null}
        </div>
      </form>
      {history.length ? <PeriodHistory history={history} /> : null}
    </details>
  );
}

/** Every change of the period, newest first, with its reason: the review's record of it. */
function PeriodHistory({ history }: { history: Period[] }) {
  return (
    <ol class="period-history" aria-label={i18n.t('periodHistory')}>
      {[...history].reverse().map((p) => (
        <li key={p.eventId}>
          <Time ms={p.at} /> — {p.closes ? i18n.t('periodCloses', [utc(Date.parse(p.closes))]) : i18n.t('periodOpenNoEnd')}
          {p.reason ? <span class="period-reason"> · {p.reason}</span> : null}
        </li>
      ))}
    </ol>
  );
}
