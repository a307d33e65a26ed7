import { useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { PlacedThread } from '../../lib/overlay/session';
import { displayName, type ReviewState } from '../../lib/review/state';
import { CommentBody } from '../shared/CommentBody';
import { Time } from '../shared/Time';
import { Composer } from './Composer';

interface Props {
  placed: PlacedThread;
  state: ReviewState;
  onReply: (threadId: string, body: string) => Promise<void>;
  onSelect: (threadId: string) => void;
  selected: boolean;
}

export function ThreadCard({ placed, state, onReply, onSelect, selected }: Props) {
  const { thread } = placed;
  const [replying, setReplying] = useState(false);
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
        <button type="button" class="link" onClick={() => setReplying(true)}>
          {i18n.t('reply')}
        </button>
      )}
    </article>
  );
}
