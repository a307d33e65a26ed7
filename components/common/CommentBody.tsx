import { linkify } from '../../lib/page/linkify';

/** Untrusted text rendered as text: Preact escapes it; only http(s) URLs become links. */
export function CommentBody({ body }: { body: string }) {
  return (
    <div class="body">
      {linkify(body).map((piece, i) =>
        piece.href ? (
          <a key={i} href={piece.href} target="_blank" rel="noopener noreferrer nofollow">
            {piece.text}
          </a>
        ) : (
          piece.text
        ),
      )}
    </div>
  );
}
