import { useEffect, useRef, useState } from 'preact/hooks';
import { useRemembered } from './remembered';
import { i18n } from '#i18n';
import { isPlaced, type PlacedThread } from '../../lib/panel/session';
import type { HistoryEntry, ReviewState } from '../../lib/review/state';
import { nameOf } from '../common/names';
import type { EventBody } from '../../lib/review/events';
import { canReopen, canResolve } from '../../lib/review/permissions';
import { ResolveForm } from './ResolveForm';
import { DISPOSITION_LABEL } from '../common/dispositions';
import { Time } from '../common/Time';
import { Composer } from './Composer';
import { CommentItem } from './CommentItem';

interface Props {
  placed: PlacedThread;
  state: ReviewState;
  me: string;
  /** False once the period closed to this member (replies too are comments). */
  canReply?: boolean;
  selected: boolean;
  onSelect: (threadId: string) => void;
  onAction: (body: EventBody) => Promise<void>;
}

export function ThreadCard({ placed, state, me, canReply = true, selected, onSelect, onAction }: Props) {
  const { thread } = placed;
  // Open forms outlive the card: it may be drawn anew while the reader is in one.
  const [replying, setReplying] = useRemembered(`replying:${thread.id}`, false);
  const [resolving, setResolving] = useRemembered(`resolving:${thread.id}`, false);
  const card = useRef<HTMLElement>(null);
  // Where keyboard focus goes once a form closes: back to the button that opened it (or what took
  // its place: Reopen once resolved), so a keyboard user does not land on the page's <body>.
  const [returnTo, setReturnTo] = useState<{ selector: string; until: number } | null>(null);
  useEffect(() => {
    if (!returnTo) return;
    // Only focus that the closed form took with it comes back: someone who went on meanwhile (a
    // sent reply is acknowledged once it is on disk, after they started editing another comment)
    // keeps typing where they are, not into the Reply button.
    const active = (card.current?.getRootNode() as Document | ShadowRoot | undefined)?.activeElement;
    if (active && active !== card.current && active !== card.current?.ownerDocument.body) {
      setReturnTo(null);
      return;
    }
    const target = card.current?.querySelector<HTMLElement>(returnTo.selector);
    // The button may come with the next fold (Reopen, once the resolution is in): the card holds
    // focus meanwhile, for a second at most.
    if (!target && Date.now() < returnTo.until) {
      card.current?.focus();
      return;
    }
    target?.focus(); // too late: leave focus where it is now
    setReturnTo(null);
  }, [returnTo, thread.status, replying, resolving]);
  const focusAfter = (selector: string) => setReturnTo({ selector, until: Date.now() + 1_000 });
  const orphan = !isPlaced(placed);
  const quote = thread.anchor.quote.exact;
  return (
    <article
      ref={card}
      class={`thread ${thread.status} ${selected ? 'selected' : ''} ${orphan ? 'orphan' : ''}`}
      data-thread={thread.id}
      tabIndex={-1}
      aria-label={i18n.t('threadOn', [quote.slice(0, 60)])}
    >
      {orphan ? (
        <p class="quote">
          <q>{quote}</q>
        </p>
      ) : (
        <button type="button" class="quote" onClick={() => onSelect(thread.id)} title={i18n.t('showInPage')} aria-pressed={selected}>
          <q>{quote}</q>
        </button>
      )}
      <RevisionNote placed={placed} />
      <span class={`status-badge ${thread.status}`}>{i18n.t(thread.status === 'open' ? 'statusOpen' : 'statusResolved')}</span>
      {thread.status === 'resolved' && thread.disposition ? (
        <p class="resolution">
          <strong class="disposition">{DISPOSITION_LABEL[thread.disposition]()}</strong>
          {thread.note ? <span class="note"> — {thread.note}</span> : null}
        </p>
      ) : null}
      <ol class="comments">
        {thread.comments.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            state={state}
            me={me}
            onEdit={(comment, body) => onAction({ type: 'comment.edit', comment, body })}
            onDelete={(comment) => onAction({ type: 'comment.delete', comment })}
          />
        ))}
      </ol>
      {thread.history.length ? <History placed={placed} state={state} /> : null}
      {resolving ? (
        <ResolveForm
          thread={thread.id}
          onResolve={async (disposition, note) => {
            await onAction({ type: 'thread.resolve', thread: thread.id, disposition, note });
            setResolving(false);
            focusAfter('.reopen-button');
          }}
          onCancel={() => {
            setResolving(false);
            focusAfter('.resolve-button');
          }}
        />
      ) : null}
      <div class="thread-actions">
        {!resolving && thread.status === 'open' && canResolve(state, me) ? (
          <button type="button" class="link resolve-button" onClick={() => setResolving(true)}>
            {i18n.t('resolve')}
          </button>
        ) : null}
        {canReopen(state, thread, me) ? (
          <button type="button" class="link reopen-button" onClick={() => void onAction({ type: 'thread.reopen', thread: thread.id }).catch(() => {})}>
            {i18n.t('reopen')}
          </button>
        ) : null}
        {replying || !canReply ? null : (
          <button type="button" class="link reply-button" onClick={() => setReplying(true)}>
            {i18n.t('reply')}
          </button>
        )}
      </div>
      {replying ? (
        <Composer
          label={i18n.t('replyLabel')}
          submitLabel={i18n.t('reply')}
          slot={`reply:${thread.id}`}
          onSubmit={async (body) => {
            await onAction({ type: 'comment.add', thread: thread.id, body });
            setReplying(false);
            focusAfter('.reply-button');
          }}
          onCancel={() => {
            setReplying(false);
            focusAfter('.reply-button');
          }}
        />
      ) : null}
    </article>
  );
}

/**
 * What the revised draft did to the passage: gone, reworded (old and new text), or moved to
 * another section. A passage that reads the same where it was gets no note, however much the
 * draft changed around it.
 */
function RevisionNote({ placed }: { placed: PlacedThread }) {
  if (!isPlaced(placed)) return <p class="revision gone">{i18n.t('passageGone')}</p>;
  if (placed.now !== null) {
    return (
      <div class="revision changed">
        <p>{i18n.t('passageChanged')}</p>
        <p class="now">
          <span class="label">{i18n.t('nowReads')}</span> <q>{placed.now}</q>
        </p>
      </div>
    );
  }
  if (placed.moved) return <p class="revision moved">{i18n.t('passageMoved', [placed.moved.from || i18n.t('noSection'), placed.moved.to || i18n.t('noSection')])}</p>;
  return null;
}

function describeEntry(h: HistoryEntry): string {
  if (h.action === 'resolved' && h.disposition) return i18n.t('historyResolved', [DISPOSITION_LABEL[h.disposition]()]);
  if (h.action === 'edited') return i18n.t('historyEditedAfter');
  if (h.action === 'deleted') return i18n.t('historyDeletedAfter');
  return i18n.t('historyReopened');
}

/** The thread's record, oldest first: who resolved or reopened it, and changes to comments after a decision. */
function History({ placed, state }: { placed: PlacedThread; state: ReviewState }) {
  return (
    <details class="history">
      <summary>{i18n.t('historyLabel', placed.thread.history.length, [String(placed.thread.history.length)])}</summary>
      <ol>
        {placed.thread.history.map((h) => (
          <li key={h.eventId}>
            <bdi class="author">{nameOf(state, h.by)}</bdi>{' '}
            {describeEntry(h)}{' '}
            <Time ms={h.at} />
            {h.note ? <span class="note"> — {h.note}</span> : null}
          </li>
        ))}
      </ol>
    </details>
  );
}
