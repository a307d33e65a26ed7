import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Anchor } from '../../lib/anchoring';
import type { DraftSlot } from '../../lib/panel/drafts';
import { DraftsContext } from './drafts-context';
import { FormActions } from './FormActions';
import { CATEGORIES, type Category } from '../../lib/review/events';

/** The commenting template's fields, when the group asks for them. */
export interface TemplateFields {
  category?: Category;
  proposal?: string;
}

export const CATEGORY_LABEL: Record<Category, () => string> = {
  general: () => i18n.t('categoryGeneral'),
  technical: () => i18n.t('categoryTechnical'),
  editorial: () => i18n.t('categoryEditorial'),
};

interface Props {
  label: string;
  submitLabel: string;
  initial?: string;
  /** Where unsent text is kept across reloads; the anchor of a new comment is kept with it. */
  slot?: DraftSlot;
  anchor?: Anchor;
  /** Ask for a comment type and a proposed change (a group working to a commenting template). */
  template?: boolean;
  onSubmit: (text: string, fields: TemplateFields) => Promise<void>;
  onCancel: () => void;
}

/**
 * A plain-text editor: Ctrl/Cmd+Enter sends, Esc cancels. The text stays if sending fails, and
 * unsent text survives a cancel or a reload (it is saved under `slot` until it is sent).
 */
export function Composer({ label, submitLabel, initial = '', slot, anchor, template = false, onSubmit, onCancel }: Props) {
  const drafts = useContext(DraftsContext);
  const [text, setText] = useState(() => (slot && drafts?.textFor(slot, anchor)) || initial);
  const [category, setCategory] = useState<Category | ''>('');
  const [proposal, setProposal] = useState('');
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []); // as it renders: typing at once goes into it

  const submit = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await onSubmit(text.trim(), template ? { ...(category ? { category } : {}), ...(proposal.trim() ? { proposal: proposal.trim() } : {}) } : {});
      if (slot) drafts?.remove(slot);
      setText('');
      setCategory('');
      setProposal('');
    } catch {
      // the session shows the error; the text stays for another try
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <textarea
        ref={ref}
        aria-label={label}
        placeholder={label}
        value={text}
        rows={3}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          setText(value);
          if (slot) drafts?.set(slot, value === initial ? '' : value, anchor);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      {template ? (
        <div class="template-fields">
          <label>
            {i18n.t('categoryLabel')}{' '}
            <select value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value as Category | '')}>
              <option value="">{i18n.t('categoryNone')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {CATEGORY_LABEL[c]()}
                </option>
              ))}
            </select>
          </label>
          <label>
            {i18n.t('proposalLabel')}
            <textarea class="proposal" rows={2} maxLength={20_000} value={proposal} onInput={(e) => setProposal((e.target as HTMLTextAreaElement).value)} />
          </label>
        </div>
      ) : null}
      <FormActions submitLabel={busy ? i18n.t('saving') : submitLabel} disabled={busy || !text.trim()} onCancel={onCancel} />
    </form>
  );
}
