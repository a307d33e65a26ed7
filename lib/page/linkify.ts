/** Comment bodies are plain text; only http(s) URLs become links. Returns pieces to render as text. */
export type Piece = { text: string; href?: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/; // belongs to the sentence, not the URL

export function linkify(body: string): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const m of body.matchAll(URL_RE)) {
    const shown = m[0].replace(TRAILING_PUNCTUATION, '');
    let href: string;
    try {
      href = new URL(shown).toString();
    } catch {
      continue;
    }
    if (m.index! > last) pieces.push({ text: body.slice(last, m.index) });
    pieces.push({ text: shown, href });
    last = m.index! + shown.length;
  }
  if (last < body.length) pieces.push({ text: body.slice(last) });
  return pieces;
}
