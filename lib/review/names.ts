/**
 * Names are written by other members: shown as they are, a bidi override (U+202E) in one reverses
 * what follows it (the time beside it, the next names in a list), and an invisible character makes
 * "ali\u200bce" a second "alice". What a name shows is its text without them.
 */

/** Bidi controls, and characters that show nothing (soft hyphen, zero-width space, word joiner…). */
const HIDDEN = /[\u00ad\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Joiners: needed to write some scripts and emoji, so shown; but no difference between two names. */
const JOINERS = /[\u200c\u200d]/g;

/** The name as shown: without bidi controls or invisible characters, trimmed. */
export function visibleName(name: string): string {
  return name.replace(HIDDEN, '').trim();
}

/** Two names that read the same compare equal: compatibility forms, case, hidden characters and joiners set aside. */
export function nameKey(name: string): string {
  return visibleName(name).replace(JOINERS, '').normalize('NFKC').toLocaleLowerCase();
}
