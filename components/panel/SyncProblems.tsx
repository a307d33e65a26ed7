import { i18n } from '#i18n';
import type { SessionView } from '../../lib/panel/session';
import { utc } from '../../lib/page/time';
import { nameOf } from '../common/names';
import { useRemembered } from './remembered';

/** Not a problem: a member's events wait for the chair's grant, then count (see the fold). */
const AWAITING_ADMISSION = 'author is not a member of this review';

/**
 * What arrived from peers and was set aside: events that fail their checks (forged signatures,
 * powers the author does not have, malformed shapes), events stamped far ahead of this computer's
 * clock (they wait), an author's history signed twice over (a fork), and messages dropped before they reached the review (unreadable, too large). Nothing here changed the review; it is listed so that a
 * chair can tell a misbehaving or outdated peer from a quiet one.
 */
export function SyncProblems({ view }: { view: SessionView }) {
  const rejected = (view.state?.rejected ?? []).filter((r) => r.reason !== AWAITING_ADMISSION);
  const room = view.reviewId ? view.link.peers[view.reviewId] : undefined;
  const oversized = room?.problems.oversized ?? 0;
  const malformed = room?.problems.malformed ?? 0;
  const flooded = room?.problems.flooded ?? 0;
  const waiting = view.state?.waiting ?? [];
  const forks = view.state?.forks ?? [];
  const total = rejected.length + oversized + malformed + flooded + waiting.length + forks.length;
  // Opened by the reader, it stays open if the list is drawn anew (the review's state replaced).
  const [open, setOpen] = useRemembered('sync-problems-open', false);
  if (!total) return null;
  const byReason = new Map<string, { count: number; authors: Set<string> }>();
  for (const r of rejected) {
    const entry = byReason.get(r.reason) ?? { count: 0, authors: new Set<string>() };
    entry.count++;
    if (r.by) entry.authors.add(view.state ? nameOf(view.state, r.by) : r.by.slice(0, 8));
    byReason.set(r.reason, entry);
  }
  return (
    <details class="sync-problems" open={open} onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}>
      <summary>{i18n.t('syncProblems', total, [String(total)])}</summary>
      <ul>
        {[...byReason].map(([reason, { count, authors }]) => (
          <li key={reason}>
            {i18n.t('problemRejected', count, [String(count), reason])}
            {authors.size ? ` (${[...authors].join(', ')})` : ''}
          </li>
        ))}
        {oversized ? <li>{i18n.t('problemOversized', oversized, [String(oversized)])}</li> : null}
        {malformed ? <li>{i18n.t('problemMalformed', malformed, [String(malformed)])}</li> : null}
        {flooded ? <li>{i18n.t('problemFlooded', flooded, [String(flooded)])}</li> : null}
        {forks.map((f) => (
          // Two continuations of one author's history: someone rewrote what they had signed.
          <li key={`${f.by}/${f.prev}`} class="fork">
            {i18n.t('problemFork', [view.state ? nameOf(view.state, f.by) : f.by.slice(0, 8), String(f.events.length)])}
          </li>
        ))}
        {waiting.length ? (
          <li>{i18n.t('problemWaiting', waiting.length, [String(waiting.length), utc(Math.min(...waiting.map((w) => w.until)))])}</li>
        ) : null}
      </ul>
      <p class="note">{i18n.t('problemsUnchanged')}</p>
    </details>
  );
}
