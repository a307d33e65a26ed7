import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Anchor } from '../../lib/anchoring';
import type { ReviewSession, SessionView } from '../../lib/overlay/session';
import { Composer } from './Composer';
import { SelectionButton } from './SelectionButton';
import { StatusLine } from './StatusLine';
import { ThreadCard } from './ThreadCard';

export function Overlay({ session, doc }: { session: ReviewSession; doc: Document }) {
  const [view, setView] = useState<SessionView>(session.current);
  const [draft, setDraft] = useState<Anchor | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [hidden, setHidden] = useState(false);
  const [nameInput, setNameInput] = useState('');
  useEffect(() => session.subscribe(setView), [session]);

  const select = (id: string) => {
    setSelected(id);
    session.focus(id);
    session.rangeOf(id)?.startContainer.parentElement?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };

  // Until the hub says who we are, assume a name is needed rather than let a comment go out nameless.
  const needsName = !view.me?.name;
  const placed = view.threads.filter((t) => t.range);
  const orphans = view.threads.filter((t) => !t.range);

  return (
    <>
      <SelectionButton
        doc={doc}
        describe={(sel) => session.describeSelection(sel)}
        onComment={(anchor) => {
          setDraft(anchor);
          setHidden(false);
        }}
      />
      <button type="button" class="toggle" aria-expanded={!hidden} onClick={() => setHidden(!hidden)}>
        {hidden ? i18n.t('showSidebar') : i18n.t('hideSidebar')}
      </button>
      <aside class="sidebar" hidden={hidden} role="complementary" aria-label={i18n.t('sidebarLabel')}>
        <header class="top">
          <h1>{i18n.t('extName')}</h1>
          <p class="review-title">{view.state?.meta?.title ?? i18n.t('noReviewYet')}</p>
          <StatusLine view={view} />
        </header>
        {view.error ? (
          <p class="error" role="alert">
            {view.error}
          </p>
        ) : null}
        {draft ? (
          <section class="new-comment" aria-label={i18n.t('newComment')}>
            <blockquote>{draft.quote.exact}</blockquote>
            {needsName ? (
              <label class="name">
                {i18n.t('yourName')}
                <input value={nameInput} onInput={(e) => setNameInput((e.target as HTMLInputElement).value)} maxLength={120} />
              </label>
            ) : null}
            <Composer
              label={i18n.t('commentLabel')}
              submitLabel={i18n.t('addComment')}
              onSubmit={async (body) => {
                if (needsName) {
                  if (!nameInput.trim()) throw new Error('name needed');
                  await session.setName(nameInput);
                }
                await session.addComment(draft, body);
                setDraft(null);
              }}
              onCancel={() => setDraft(null)}
            />
          </section>
        ) : null}
        <section class="threads" aria-label={i18n.t('threadsLabel')}>
          {placed.length === 0 && !draft ? <p class="empty">{i18n.t('emptyHint')}</p> : null}
          {placed.map((p) => (
            <ThreadCard key={p.thread.id} placed={p} state={view.state!} me={view.me?.publicKey ?? ''} onAction={(b) => session.append(b)} selected={selected === p.thread.id} onSelect={select} onReply={(id, body) => session.reply(id, body)} />
          ))}
        </section>
        {orphans.length ? (
          <section class="orphans" aria-label={i18n.t('orphansLabel')}>
            <h2>{i18n.t('orphansLabel')}</h2>
            {orphans.map((p) => (
              <ThreadCard key={p.thread.id} placed={p} state={view.state!} me={view.me?.publicKey ?? ''} onAction={(b) => session.append(b)} selected={false} onSelect={() => {}} onReply={(id, body) => session.reply(id, body)} />
            ))}
          </section>
        ) : null}
      </aside>
    </>
  );
}
