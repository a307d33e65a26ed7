import { useContext, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useRemembered } from './remembered';
import { i18n } from '#i18n';
import { DISPOSITIONS, type Disposition } from '../../lib/review/events';
import { FormActions } from './FormActions';
import { DISPOSITION_LABEL } from '../common/dispositions';
import { DraftsContext } from './drafts-context';

/** The chair's resolution: a disposition and a response note. */
export function ResolveForm({ thread, onResolve, onCancel }: { thread: string; onResolve: (d: Disposition, note: string) => Promise<void>; onCancel: () => void }) {
  // Kept above the card, which may be drawn anew while the chair is choosing; a note begun is also
  // kept with the page's drafts (with its disposition), so a tab switch or a reload loses neither.
  const drafts = useContext(DraftsContext);
  const slot = `resolve:${thread}` as const;
  const saved = drafts?.get(slot);
  const savedChoice = DISPOSITIONS.find((d) => d === saved?.choice);
  const [disposition, setDispositionNow, forgetDisposition] = useRemembered<Disposition>(`disposition:${thread}`, savedChoice ?? 'accepted');
  const [note, setNoteNow, forgetNote] = useRemembered(`note:${thread}`, saved?.text ?? '');
  const setDisposition = (d: Disposition) => {
    setDispositionNow(d);
    drafts?.set(slot, note, undefined, d);
  };
  const setNote = (text: string) => {
    setNoteNow(text);
    drafts?.set(slot, text, undefined, disposition);
  };
  const close = () => {
    forgetDisposition();
    forgetNote();
    drafts?.remove(slot);
  };
  const [busy, setBusy] = useState(false);
  // Opened from the keyboard or the mouse, the form takes focus: its first field is the decision.
  // As it renders, not after paint: a click into the note meanwhile would lose the caret to it.
  const first = useRef<HTMLSelectElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  return (
    <form
      class="resolve"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
          onCancel();
        }
      }}
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        try {
          await onResolve(disposition, note.trim());
          close();
        } catch {
          // shown by the session; the form keeps its values
        } finally {
          setBusy(false);
        }
      }}
    >
      <label>
        {i18n.t('disposition')}
        <select ref={first} value={disposition} onChange={(e) => setDisposition((e.target as HTMLSelectElement).value as Disposition)}>
          {DISPOSITIONS.map((d) => (
            <option key={d} value={d}>
              {DISPOSITION_LABEL[d]()}
            </option>
          ))}
        </select>
      </label>
      <label>
        {i18n.t('responseNote')}
        <textarea value={note} rows={2} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
      </label>
      <FormActions
        submitLabel={i18n.t('resolve')}
        disabled={busy}
        onCancel={() => {
          close();
          onCancel();
        }}
      />
    </form>
  );
}
