/**
 * Names are written by other members: shown as they are, a bidi override (U+202E) in one reverses
 * what follows it (the time beside it, the next names in a list), and an invisible character makes
 * "ali\u200bce" a second "alice". What a name shows is its text without them.
 */

/**
 * Characters that show nothing or steer the text's direction: Unicode's default-ignorable code
 * points (zero-width and Hangul fillers, variation selectors, tag characters…) and format
 * characters (bidi controls, soft hyphen…). Listed by property, not by hand: a hand-made list
 * missed a dozen of them.
 */
const HIDDEN = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;
/** Of those, what scripts and emoji need to be written right: the joiners, and emoji presentation. */
const NEEDED = /^[\u200c\u200d\ufe0e\ufe0f]$/u;

/** The name as shown: without hidden characters (but the joiners), trimmed. */
export function visibleName(name: string): string {
  return name.replace(HIDDEN, (c) => (NEEDED.test(c) ? c : '')).trim();
}

/**
 * Two names that read the same compare equal: compatibility forms, case, white space, every hidden
 * character (joiners too) and the blank braille cell set aside, before and after NFKC (which maps
 * some fillers onto others).
 */
export function nameKey(name: string): string {
  return name
    .replace(HIDDEN, '')
    .normalize('NFKC')
    .replace(HIDDEN, '')
    .replace(/\u2800/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLocaleLowerCase();
}
