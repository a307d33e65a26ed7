/**
 * The draft as the sidebar last saw it, per review: what exports compare each passage with. Kept
 * in the hub's settings (one entry per review, replaced when the draft changes). The sidebar runs
 * in a page's content script: what it sends is checked and bounded like any other input.
 */
import * as v from 'valibot';
import type { DraftRevision, OutlineEntry } from '../export/input';
import { textFingerprint } from '../page/document-identity';
import { OUTLINE_LIMITS } from '../export/outline';
import type { MarginsDB } from '../store/db';

/** A draft larger than this is not kept (the largest sample is 1.4 MB of text). */
export const MAX_DRAFT_TEXT = 16 * 1024 * 1024;

const OutlineSchema = v.pipe(
  v.array(v.strictObject({ level: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(6)), title: v.pipe(v.string(), v.maxLength(OUTLINE_LIMITS.title)), start: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
  v.maxLength(OUTLINE_LIMITS.headings),
);
const SeenSchema = v.strictObject({
  review: v.string(),
  fingerprint: v.pipe(v.string(), v.regex(/^[0-9a-f]{1,128}$/)),
  outline: OutlineSchema,
  text: v.optional(v.pipe(v.string(), v.maxLength(MAX_DRAFT_TEXT))),
});

const key = (review: string) => `draft:${review}`;
const outlineKey = (review: string) => `draft-outline:${review}`;

/** The draft as last seen, and the outline of the revision the review started on (when it was seen). */
export async function loadDraft(db: MarginsDB, review: string): Promise<{ latest?: DraftRevision; outline?: OutlineEntry[] }> {
  const [latest, outline] = await Promise.all([db.settings.get(key(review)), db.settings.get(outlineKey(review))]);
  return { ...(latest ? { latest: latest.value as DraftRevision } : {}), ...(outline ? { outline: outline.value as OutlineEntry[] } : {}) };
}

/** In document order, each heading inside the text (bisection over the outline relies on both). */
function tidy(outline: OutlineEntry[], length: number): OutlineEntry[] {
  return outline.filter((h) => h.start <= length).sort((a, b) => a.start - b.start);
}

/**
 * Keeps the draft when it is new; `need` asks the sidebar for the text the hub does not have yet.
 * When the draft is the revision the review started on (`reviewed`, its fingerprint), its outline
 * is kept too: the summary's sections follow the draft the group commented on.
 */
export async function rememberDraft(db: MarginsDB, args: unknown, reviewed: string | undefined): Promise<{ need: boolean }> {
  const seen = v.parse(SeenSchema, args);
  if (reviewed && seen.fingerprint === reviewed && !(await db.settings.get(outlineKey(seen.review)))) {
    await db.settings.put({ key: outlineKey(seen.review), value: tidy(seen.outline, seen.text?.length ?? Infinity) });
  }
  const { latest } = await loadDraft(db, seen.review);
  if (latest?.fingerprint === seen.fingerprint) return { need: false };
  if (seen.text === undefined) return { need: true };
  // The fingerprint names the text: one that does not match it would mislabel the revision.
  if ((await textFingerprint(seen.text)) !== seen.fingerprint) throw new Error('the draft text does not match its fingerprint');
  const draft: DraftRevision = { text: seen.text, outline: tidy(seen.outline, seen.text.length), fingerprint: seen.fingerprint };
  await db.settings.put({ key: key(seen.review), value: draft });
  return { need: false };
}
