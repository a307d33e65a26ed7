import { useEffect, useRef, useState } from 'preact/hooks';
import { i18n } from '#i18n';

interface Props {
  label: string;
  submitLabel: string;
  initial?: string;
  onSubmit: (text: string) => Promise<void>;
  onCancel: () => void;
}

/** A plain-text editor: Ctrl/Cmd+Enter sends, Esc cancels; the text stays if sending fails. */
export function Composer({ label, submitLabel, initial = '', onSubmit, onCancel }: Props) {
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);

  const submit = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      await onSubmit(text.trim());
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
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
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
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          {busy ? i18n.t('saving') : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {i18n.t('cancel')}
        </button>
      </div>
    </form>
  );
}
