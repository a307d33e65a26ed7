import { useState } from 'preact/hooks';
import { i18n } from '#i18n';

/** Copies `text` to the clipboard, and says so (or says it could not, so the reader copies by hand). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  return (
    <span class="copy">
      <button
        type="button"
        class="secondary copy-button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setDone('copied'),
            () => setDone('failed'),
          )
        }
      >
        {label}
      </button>
      <span role="status" class="copy-status">
        {done === 'copied' ? i18n.t('copied') : done === 'failed' ? i18n.t('copyFailed') : ''}
      </span>
    </span>
  );
}
