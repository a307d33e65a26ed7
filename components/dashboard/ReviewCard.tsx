import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import { DISPOSITIONS } from '../../lib/review/events';
import type { ReviewRecord } from '../../lib/store/db';
import type { ReviewSummary } from '../../lib/review/summary';
import { DISPOSITION_LABEL } from '../common/dispositions';
import { PeriodBadge } from '../common/PeriodBadge';
import { Bars, Progress } from './Bars';
import { ExportMenu } from './ExportMenu';
import type { HubLink } from '../../lib/sync/hub-link';

/**
 * One review on the dashboard. The chair sees where the review stands and what waits for a
 * decision; a member sees their own open threads and the replies to them. Every count is the
 * summary the hub computed with the sidebar's own function (lib/review/summary.ts).
 */
export function ReviewCard({
  client,
  record,
  now,
  full,
  exporting,
  onOpen,
  onThread,
}: {
  client: HubLink;
  record: ReviewRecord;
  now: number;
  full: boolean;
  /** Opened from the draft's sidebar to export this review: its export menu starts open. */
  exporting?: boolean;
  onOpen: () => void;
  onThread: (thread: string) => void;
}) {
  const s = record.summary;
  const [details, setDetails] = useState(false);
  const chair = record.myRole === 'chair';
  const c = s?.counts ?? record.counts;
  const percent = c.threads ? Math.round((100 * c.resolved) / c.threads) : 0;
  return (
    <li class={`review ${chair ? 'as-chair' : 'as-member'}`} data-review={record.id}>
      <a
        class="title"
        href={record.url}
        onClick={(e) => {
          e.preventDefault();
          onOpen();
        }}
      >
        {record.title}
      </a>
      {chair ? <span class="role">{i18n.t('youChair')}</span> : null}
      <PeriodBadge period={record.period} now={now} />
      <div class="counts">
        <span class="open-count">{c.open}</span> {i18n.t('openComments')} · <span class="resolved-count">{c.resolved}</span> {i18n.t('resolvedComments')} ·{' '}
        <span class="comment-count">{c.comments}</span> {i18n.t('commentsCount')}
        {s?.unanswered ? <span class="unanswered"> · {i18n.t('unansweredCount', [String(s.unanswered)])}</span> : null}
        {s?.late ? <span class="late"> · {i18n.t('lateCount', s.late, [String(s.late)])}</span> : null}
      </div>
      <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={c.threads} aria-valuenow={c.resolved} aria-label={i18n.t('progressLabel', [String(c.resolved), String(c.threads)])}>
        <span style={{ width: `${percent}%` }} />
      </div>
      {s && chair && s.needsDecision.length ? (
        <details class="needs-decision" open={full || undefined}>
          <summary>{i18n.t('needsDecision', [String(c.open)])}</summary>
          <ul>
            {s.needsDecision.slice(0, full ? undefined : 5).map((t) => (
              <li key={t.id}>
                <button type="button" class="link" onClick={() => onThread(t.id)}>
                  “{t.quote}”
                </button>{' '}
                <span class="meta">— {t.authorName || i18n.t('unknownReviewer')}{t.section ? ` · ${t.section}` : ''}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {s && !chair && s.mine.length ? (
        <details class="mine" open={full || undefined}>
          <summary>{i18n.t('myOpenThreads', [String(s.mineOpen)])}</summary>
          <ul>
            {s.mine.map((t) => (
              <li key={t.id}>
                <button type="button" class="link" onClick={() => onThread(t.id)}>
                  “{t.quote}”
                </button>{' '}
                <span class="meta">{i18n.t('repliesCount', t.replies, [String(t.replies)])}</span>
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {s && (full || chair) ? (
        <details class="details" open={full || undefined} onToggle={(e) => setDetails((e.target as HTMLDetailsElement).open)}>
          <summary>{i18n.t('reviewDetails')}</summary>
          {/* Drawn when opened: twenty closed cards in the popup cost nothing. */}
          {full || details ? <Details summary={s} threads={c.threads} /> : null}
        </details>
      ) : null}
      <ExportMenu client={client} record={record} open={exporting} />
    </li>
  );
}

function Details({ summary: s, threads }: { summary: ReviewSummary; threads: number }) {
  return (
    <>
          <h3>{i18n.t('byDisposition')}</h3>
          <Bars label={i18n.t('byDisposition')} rows={DISPOSITIONS.map((d) => ({ key: d, label: DISPOSITION_LABEL[d](), value: s.byDisposition[d], muted: !s.byDisposition[d] }))} />
          <h3>{i18n.t('participation')}</h3>
          <Bars label={i18n.t('participation')} rows={s.participation.map((p) => ({ key: p.key, label: p.name || i18n.t('unknownReviewer'), value: p.comments, muted: !p.comments }))} />
          <h3>{i18n.t('perSection')}</h3>
          <Bars label={i18n.t('perSection')} rows={s.sections.map((x) => ({ key: x.section, label: x.section || i18n.t('noSection'), value: x.comments }))} />
          <Progress points={s.progress} total={threads} label={i18n.t('progressOverTime', [String(s.progress.at(-1)?.resolved ?? 0), String(threads)])} />
    </>
  );
}
