import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Comment, ReviewState } from '../../lib/review/state';
import { nameOf } from '../common/names';
import { CommentBody } from '../common/CommentBody';
import { Time } from '../common/Time';
import { CATEGORY_LABEL, Composer } from './Composer';

interface Props {
  comment: Comment;
  state: ReviewState;
  me: string;
  onEdit: (commentId: string, body: string) => Promise<void>;
  onDelete: (commentId: string) => Promise<void>;
}

/** One comment of a thread; its author may edit it or delete it (soft: the thread keeps a trace). */
export function CommentItem({ comment: c, state, me, onEdit, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const own = c.author === me && !c.deleted;
  // Keyboard users land on the question they were just asked, not on the page's <body>.
  const confirmRef = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  // …and, once an edit or a deletion is over, on the button they started from (J and K listen on
  // the list: from <body> they would stop working).
  const item = useRef<HTMLLIElement>(null);
  const [returnTo, setReturnTo] = useState<string | null>(null);
  useLayoutEffect(() => {
    if (!returnTo) return;
    (item.current?.querySelector<HTMLElement>(returnTo) ?? item.current?.closest<HTMLElement>('.thread'))?.focus();
    setReturnTo(null);
  }, [returnTo, editing, confirming]);
  const endEdit = () => {
    setEditing(false);
    setReturnTo('.edit-button');
  };
  return (
    <li class="comment" data-comment={c.id} ref={item}>
      <header>
        <bdi class="author">{nameOf(state, c.author)}</bdi> <Time ms={c.createdAt} />
        {c.editedAt ? <span class="edited"> {i18n.t('edited')}</span> : null}
        {c.late ? <span class="late"> {i18n.t('late')}</span> : null}
        {c.category && !c.deleted ? <span class="category"> · {CATEGORY_LABEL[c.category]()}</span> : null}
      </header>
      {c.deleted ? (
        <p class="deleted">{c.withheld ? i18n.t('commentWithheld') : i18n.t('commentDeleted')}</p>
      ) : editing ? (
        <Composer
          label={i18n.t('editLabel')}
          submitLabel={i18n.t('save')}
          initial={c.body}
          slot={`edit:${c.id}`}
          onSubmit={async (body) => {
            if (body !== c.body) await onEdit(c.id, body);
            endEdit();
          }}
          onCancel={endEdit}
        />
      ) : (
        <>
          <CommentBody body={c.body} />
          {c.proposal ? (
            <p class="proposal">
              <strong>{i18n.t('proposalShown')}</strong> {c.proposal}
            </p>
          ) : null}
        </>
      )}
      {own && !editing ? (
        confirming ? (
          <p class="confirm" role="group" aria-label={i18n.t('deleteConfirm')}>
            {i18n.t('deleteConfirm')}{' '}
            <button
              ref={confirmRef}
              type="button"
              class="danger confirm-delete"
              onClick={() =>
                void onDelete(c.id).then(
                  () => item.current?.closest<HTMLElement>('.thread')?.focus(), // its buttons are gone: the thread
                  () => {
                    setConfirming(false);
                    setReturnTo('.delete-button');
                  },
                )
              }
            >
              {i18n.t('delete')}
            </button>{' '}
            <button
              type="button"
              onClick={() => {
                setConfirming(false);
                setReturnTo('.delete-button');
              }}
            >
              {i18n.t('cancel')}
            </button>
          </p>
        ) : (
          <p class="comment-actions">
            <button type="button" class="link edit-button" onClick={() => setEditing(true)}>
              {i18n.t('edit')}
            </button>{' '}
            <button type="button" class="link delete-button" onClick={() => setConfirming(true)}>
              {i18n.t('delete')}
            </button>
          </p>
        )
      ) : null}
    </li>
  );
}
