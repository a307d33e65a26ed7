import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Anchor } from '../../lib/anchoring';
import type { DraftSlot } from '../../lib/overlay/drafts';
import { DraftsContext } from './drafts-context';
import { FormActions } from './FormActions';

interface Props {
  label: string;
  submitLabel: string;
  initial?: string;
  /** Where unsent text is kept across reloads; the anchor of a new comment is kept with it. */
  slot?: DraftSlot;
  anchor?: Anchor;
  onSubmit: (text: string) => Promise<void>;
  onCancel: () => void;
}

/**
 * A plain-text editor: Ctrl/Cmd+Enter sends, Esc cancels. The text stays if sending fails, and
 * unsent text survives a cancel or a reload (it is saved under `slot` until it is sent).
 */
export function Composer({ label, submitLabel, initial = '', slot, anchor, onSubmit, onCancel }: Props) {
  const drafts = useContext(DraftsContext);
  const [text, setText] = useState(() => (slot && drafts?.textFor(slot, anchor)) || initial);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);

  const submit = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await onSubmit(text.trim());
      if (slot) drafts?.remove(slot);
      setText('');
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
      <FormActions submitLabel={busy ? i18n.t('saving') : submitLabel} disabled={busy || !text.trim()} onCancel={onCancel} />
    </form>
  );
}
