/**
 * What a reader has open or half-filled on a thread card, kept above the cards. A card can be
 * drawn anew while the reader works in it (it moved to another section or tab as the review or the
 * page changed); it then reopens the same form with the same choices instead of losing them.
 */
import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';

export type Remembered = Map<string, unknown>;

/** One per panel; null where cards are drawn alone (they then remember nothing). */
export const RememberedContext = createContext<Remembered | null>(null);

/** `useState` whose value outlives the component, under `key`; `forget` drops it (the form closed). */
export function useRemembered<T>(key: string, initial: T): [T, (value: T) => void, () => void] {
  const memory = useContext(RememberedContext);
  const [value, setValue] = useState<T>(() => (memory?.has(key) ? (memory.get(key) as T) : initial));
  const set = (next: T) => {
    // Back to where it started (a form closed): nothing to remember.
    if (Object.is(next, initial)) memory?.delete(key);
    else memory?.set(key, next);
    setValue(next);
  };
  const forget = () => void memory?.delete(key);
  return [value, set, forget];
}
