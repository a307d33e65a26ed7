/**
 * The reader's gestures on the draft itself: a click on a highlighted passage, and Ctrl+Alt+M
 * (⌘⌥M) to comment on the selection, as in word processors. Only trusted events count: the page's
 * scripts may synthesise clicks and keys, and must not act for the reader.
 */
import { IGNORE_ATTR } from '../anchoring';

export interface Gestures {
  /** Which thread's highlight holds this point, if any. */
  threadAt(node: Node, offset: number): string | null;
  /** A click landed on a highlighted passage. */
  onHighlight(threadId: string): void;
  onCommentKey(): void;
}

function caretAt(doc: Document, x: number, y: number): { node: Node; offset: number } | null {
  const d = doc as Document & { caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null };
  const pos = d.caretPositionFromPoint?.(x, y);
  if (pos) return { node: pos.offsetNode, offset: pos.offset };
  const range = doc.caretRangeFromPoint?.(x, y);
  return range ? { node: range.startContainer, offset: range.startOffset } : null;
}

export function listenForGestures(doc: Document, gestures: Gestures): () => void {
  const onClick = (e: MouseEvent) => {
    if (!e.isTrusted || e.button !== 0 || !doc.getSelection()?.isCollapsed) return;
    // Clicks on our own button reach the page as clicks on its host: they are not on the draft.
    if ((e.target as Element | null)?.closest?.(`[${IGNORE_ATTR}]`)) return;
    const caret = caretAt(doc, e.clientX, e.clientY);
    const id = caret && gestures.threadAt(caret.node, caret.offset);
    if (!id) return;
    // A highlighted passage inside a link: the click selects the thread, it does not follow the
    // link. (Elsewhere the page's own click goes on: a checkbox, a summary, a button.)
    if ((e.target as Element | null)?.closest?.('a[href]')) e.preventDefault();
    gestures.onHighlight(id);
  };
  const onKey = (e: KeyboardEvent) => {
    if (!e.isTrusted || !e.altKey || !(e.ctrlKey || e.metaKey) || e.code !== 'KeyM') return;
    e.preventDefault();
    gestures.onCommentKey();
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('keydown', onKey, true);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('keydown', onKey, true);
  };
}
