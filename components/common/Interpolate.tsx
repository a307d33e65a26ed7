import type { ComponentChildren } from 'preact';

const SLOT = '\u0001';

/**
 * A translated sentence with an element in it ("You are invited to <strong>…</strong>."): the message
 * is fetched with a placeholder character as its $1 and the element put where the translation has it.
 */
export function Interpolate({ message, children }: { message: (slot: string) => string; children: ComponentChildren }) {
  const [before, after = ''] = message(SLOT).split(SLOT);
  return (
    <>
      {before}
      {children}
      {after}
    </>
  );
}
