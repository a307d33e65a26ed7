/**
 * The draft as the sidebar last saw it, per review: what exports compare each passage with. Kept
 * in the hub's settings (one entry per review, replaced when the draft changes). The sidebar runs
 * in a page's content script: what it sends is checked and bounded like any other input.
 */
import * as v from 'valibot';
import type { DraftRevision } from '../export/input';
import { textFingerprint } from '../page/document-identity';
import type { MarginsDB } from '../store/db';

/** A draft larger than this is not kept (the largest sample is 1.4 MB of text). */
export const MAX_DRAFT_TEXT = 16 * 1024 * 1024;

const OutlineSchema = v.pipe(
  v.array(v.strictObject({ level: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(6)), title: v.pipe(v.string(), v.maxLength(500)), start: v.pipe(v.number(), v.integer(), v.minValue(0)) })),
  v.maxLength(5_000),
);
const SeenSchema = v.strictObject({
  review: v.string(),
  fingerprint: v.pipe(v.string(), v.regex(/^[0-9a-f]{1,128}$/)),
  outline: OutlineSchema,
  text: v.optional(v.pipe(v.string(), v.maxLength(MAX_DRAFT_TEXT))),
});

const key = (review: string) => `draft:${review}`;

export async function loadDraft(db: MarginsDB, review: string): Promise<DraftRevision | undefined> {
  return (await db.settings.get(key(review)))?.value as DraftRevision | undefined;
}

/** Keeps the draft when it is new; `need` asks the sidebar for the text the hub does not have yet. */
export async function rememberDraft(db: MarginsDB, args: unknown): Promise<{ need: boolean }> {
  const seen = v.parse(SeenSchema, args);
  const kept = await loadDraft(db, seen.review);
  if (kept?.fingerprint === seen.fingerprint) return { need: false };
  if (seen.text === undefined) return { need: true };
  // The fingerprint names the text: one that does not match it would mislabel the revision.
  if ((await textFingerprint(seen.text)) !== seen.fingerprint) throw new Error('the draft text does not match its fingerprint');
  const draft: DraftRevision = { text: seen.text, outline: seen.outline, fingerprint: seen.fingerprint };
  await db.settings.put({ key: key(seen.review), value: draft });
  return { need: false };
}
