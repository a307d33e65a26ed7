import { useEffect, useState } from 'preact/hooks';
import { i18n } from '#i18n';
import type { Anchor } from '../../lib/anchoring';

interface Props {
  doc: Document;
  describe: (selection: Selection | null) => Anchor | null;
  onComment: (anchor: Anchor) => void;
}

/**
 * "Add comment" next to a selection in the draft, the only thing Margins draws in the page. The
 * anchor is taken when the selection settles, so clicking the button (which may clear the
 * selection) cannot lose it. Only the reader's own click counts, never one the page synthesises.
 */
export function SelectionButton({ doc, describe, onComment }: Props) {
  const [pending, setPending] = useState<{ anchor: Anchor; x: number; y: number } | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const selection = doc.getSelection();
        const anchor = describe(selection);
        if (!anchor || !selection) return setPending(null);
        const rects = selection.getRangeAt(0).getClientRects();
        const last = rects[rects.length - 1] ?? selection.getRangeAt(0).getBoundingClientRect();
        const view = doc.defaultView!;
        // Kept on screen, and moved with the selection when the page scrolls.
        setPending({ anchor, x: Math.max(4, Math.min(last.right + 6, view.innerWidth - 140)), y: Math.max(4, Math.min(last.bottom + 6, view.innerHeight - 40)) });
      }, 120);
    };
    doc.addEventListener('selectionchange', onChange);
    doc.addEventListener('scroll', onChange, { passive: true });
    onChange(); // text selected before the toolbar button was pressed counts too
    return () => {
      clearTimeout(timer);
      doc.removeEventListener('selectionchange', onChange);
      doc.removeEventListener('scroll', onChange);
    };
  }, [doc, describe]);

  if (!pending) return null;
  return (
    <button
      type="button"
      class="add-comment"
      style={{ left: `${pending.x}px`, top: `${pending.y}px` }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={(e) => {
        if (!e.isTrusted) return;
        onComment(pending.anchor);
        setPending(null);
      }}
    >
      {i18n.t('addComment')}
    </button>
  );
}
