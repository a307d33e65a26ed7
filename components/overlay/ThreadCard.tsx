import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { PlacedThread } from '../../lib/overlay/session';
import { displayName, type ReviewState } from '../../lib/review/state';
import type { EventBody } from '../../lib/review/events';
import { canReopen, canResolve } from '../../lib/review/permissions';
import { DISPOSITION_LABEL, ResolveForm } from './ResolveForm';
import { CommentBody } from '../shared/CommentBody';
import { Time } from '../shared/Time';
import { Composer } from './Composer';

interface Props {
  placed: PlacedThread;
  state: ReviewState;
  onReply: (threadId: string, body: string) => Promise<void>;
  onSelect: (threadId: string) => void;
  selected: boolean;
  me: string;
  onAction: (body: EventBody) => Promise<void>;
}

export function ThreadCard({ placed, state, onReply, onSelect, selected, me, onAction }: Props) {
  const { thread } = placed;
  const [replying, setReplying] = useState(false);
  const [resolving, setResolving] = useState(false);
  return (
    <article
      class={`thread ${thread.status} ${selected ? 'selected' : ''} ${placed.range ? '' : 'orphan'}`}
      data-thread={thread.id}
      aria-label={i18n.t('threadOn', [thread.anchor.quote.exact.slice(0, 60)])}
    >
      <button type="button" class="quote" onClick={() => onSelect(thread.id)} title={i18n.t('showInPage')}>
        <q>{thread.anchor.quote.exact}</q>
      </button>
      <span class={`status-badge ${thread.status}`}>{i18n.t(thread.status === 'open' ? 'statusOpen' : 'statusResolved')}</span>
      {thread.status === 'resolved' && thread.disposition ? (
        <p class="resolution">
          <strong class="disposition">{DISPOSITION_LABEL[thread.disposition]()}</strong>
          {thread.note ? <span class="note"> — {thread.note}</span> : null}
        </p>
      ) : null}
      <ol class="comments">
        {thread.comments.map((c) => (
          <li class="comment" key={c.id} data-comment={c.id}>
            <header>
              <span class="author">{displayName(state, c.author)}</span> <Time ms={c.createdAt} />
              {c.editedAt ? <span class="edited"> {i18n.t('edited')}</span> : null}
            </header>
            {c.deleted ? <p class="deleted">{i18n.t('commentDeleted')}</p> : <CommentBody body={c.body} />}
          </li>
        ))}
      </ol>
      {resolving ? (
        <ResolveForm
          onResolve={async (disposition, note) => {
            await onAction({ type: 'thread.resolve', thread: thread.id, disposition, note });
            setResolving(false);
          }}
          onCancel={() => setResolving(false)}
        />
      ) : null}
      {!resolving && thread.status === 'open' && canResolve(state, me) ? (
        <button type="button" class="link resolve-button" onClick={() => setResolving(true)}>
          {i18n.t('resolve')}
        </button>
      ) : null}
      {canReopen(state, thread, me) ? (
        <button type="button" class="link reopen-button" onClick={() => void onAction({ type: 'thread.reopen', thread: thread.id }).catch(() => {})}>
          {i18n.t('reopen')}
        </button>
      ) : null}{' '}
      {replying ? (
        <Composer
          label={i18n.t('replyLabel')}
          submitLabel={i18n.t('reply')}
          onSubmit={async (body) => {
            await onReply(thread.id, body);
            setReplying(false);
          }}
          onCancel={() => setReplying(false)}
        />
      ) : (
        <button type="button" class="link reply-button" onClick={() => setReplying(true)}>
          {i18n.t('reply')}
        </button>
      )}
    </article>
  );
}
