import { useEffect, useRef } from 'preact/hooks';
import { IGNORE_ATTR } from '../../lib/anchoring';
import type { ReviewSession } from '../../lib/overlay/session';


interface Handlers {
  /** A click landed on a highlighted passage. */
  onHighlight: (threadId: string) => void;
  /** Ctrl+Alt+M (⌘⌥M): comment on the selection, as in word processors. */
  onCommentKey: () => void;
}

function caretAt(doc: Document, x: number, y: number): { node: Node; offset: number } | null {
  const d = doc as Document & { caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null };
  const pos = d.caretPositionFromPoint?.(x, y);
  if (pos) return { node: pos.offsetNode, offset: pos.offset };
  const range = doc.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : null;
}

/**
 * Listens to the page for the overlay's gestures. Only trusted events count: the page's scripts
 * may synthesise clicks and keys, and must not drive our UI.
 */
export function usePageGestures(doc: Document, session: ReviewSession, handlers: Handlers): void {
  // The listeners stay for the page's life; they call whatever handlers the last render gave.
  const current = useRef(handlers);
  current.current = handlers;
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (!e.isTrusted || e.button !== 0 || !doc.getSelection()?.isCollapsed) return;
      // Clicks in our own UI reach the page as clicks on its host: they are not on the draft.
      if ((e.target as Element | null)?.closest?.(`[${IGNORE_ATTR}]`)) return;
      const caret = caretAt(doc, e.clientX, e.clientY);
      const id = caret && session.threadAt(caret.node, caret.offset);
      if (!id) return;
      // A highlighted passage inside a link: the click selects the thread, it does not follow the
      // link. (Elsewhere the page's own click goes on: a checkbox, a summary, a button.)
      if ((e.target as Element | null)?.closest?.('a[href]')) e.preventDefault();
      current.current.onHighlight(id);
    };
    const onKey = (e: KeyboardEvent) => {
      if (!e.isTrusted || !e.altKey || !(e.ctrlKey || e.metaKey) || e.code !== 'KeyM') return;
      e.preventDefault();
      current.current.onCommentKey();
    };
    doc.addEventListener('click', onClick, true);
    doc.addEventListener('keydown', onKey, true);
    return () => {
      doc.removeEventListener('click', onClick, true);
      doc.removeEventListener('keydown', onKey, true);
    };
  }, [doc, session]);
}
