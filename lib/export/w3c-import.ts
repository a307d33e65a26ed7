/**
 * Reads W3C Web Annotation JSON-LD (a collection, a page, a list, or one annotation: what other
 * annotation tools export) into comments a member can add to a review. The file is untrusted:
 * shapes are checked, counts and lengths bounded, and anything unusable is listed with a reason
 * instead of failing the whole import.
 */
import { CATEGORIES, LIMITS, type Category } from '../review/events';
import type { Anchor } from '../anchoring/types';

export interface ImportedThread {
  /** The annotation's id in the file (replies point at it). */
  source: string;
  anchor: Anchor;
  /** The comment as posted: the original author and date, then the text. */
  body: string;
  /** A classifying body naming one of the template's types, and an editing body (Margins' own export writes both). */
  category?: Category;
  proposal?: string;
  replies: string[];
}

export interface ImportResult {
  threads: ImportedThread[];
  skipped: { id: string; reason: string }[];
}

/** More than a review holds comfortably is a file meant for something else. */
export const MAX_IMPORTED = 5_000;

/**
 * Room for a comment's own fields in its signed event (LIMITS.payload counts the JSON text, with
 * its author, clock and review beside them). Within LIMITS.body a text can still overflow it: a
 * control character is written as six ("\u0001"). Such a comment is left out here, with a reason,
 * rather than refused by the hub in the middle of an import.
 */
const ROOM = LIMITS.payload - 2_000;
const fits = (fields: object) => JSON.stringify(fields).length <= ROOM;

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : x === undefined ? [] : [x]);
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);
const typed = (x: Json, type: string) => list(x.type).includes(type);

function annotationsIn(doc: unknown): unknown[] {
  if (Array.isArray(doc)) return doc;
  if (!isObject(doc)) throw new Error('This file is not Web Annotation JSON-LD.');
  if (typed(doc, 'AnnotationCollection')) {
    const first = doc.first;
    if (typeof first === 'string') throw new Error('This collection lists its annotations elsewhere (its first page is a link): export them into one file.');
    return isObject(first) ? list(first.items) : [];
  }
  if (typed(doc, 'AnnotationPage')) return list(doc.items);
  if (typed(doc, 'Annotation')) return [doc];
  throw new Error('This file is not Web Annotation JSON-LD: no Annotation, AnnotationPage or AnnotationCollection in it.');
}

function textOf(a: Json): string | undefined {
  if (typeof a.bodyValue === 'string') return a.bodyValue;
  for (const b of list(a.body)) {
    if (typeof b === 'string') continue; // a link to a body elsewhere: not fetched
    if (!isObject(b) || typeof b.value !== 'string') continue;
    if (list(b.purpose).some((p) => p === 'tagging' || p === 'classifying' || p === 'editing')) continue;
    return b.value;
  }
  return undefined;
}

function anchorOf(target: unknown): Anchor | undefined {
  for (const t of list(target)) {
    if (!isObject(t)) continue;
    const selectors = list(t.selector).filter(isObject);
    const quote = selectors.find((s) => typed(s, 'TextQuoteSelector'));
    const exact = quote && str(quote.exact);
    if (!quote || !exact || exact.length > LIMITS.quote) continue;
    // The context next to the quote is what counts: the end of a prefix, the start of a suffix.
    const prefix = typeof quote.prefix === 'string' ? quote.prefix.slice(-LIMITS.context) : undefined;
    const suffix = typeof quote.suffix === 'string' ? quote.suffix.slice(0, LIMITS.context) : undefined;
    const position = selectors.find((s) => typed(s, 'TextPositionSelector'));
    const start = position?.start;
    const end = position?.end;
    const valid = Number.isSafeInteger(start) && Number.isSafeInteger(end) && (start as number) >= 0 && (end as number) >= (start as number);
    return {
      quote: { type: 'TextQuoteSelector', exact, ...(prefix !== undefined ? { prefix } : {}), ...(suffix !== undefined ? { suffix } : {}) },
      ...(valid ? { position: { type: 'TextPositionSelector' as const, start: start as number, end: end as number } } : {}),
    };
  }
  return undefined;
}

/** The value of the first textual body with this purpose. */
function bodyFor(a: Json, purpose: string): string | undefined {
  for (const b of list(a.body)) if (isObject(b) && typeof b.value === 'string' && list(b.purpose).includes(purpose)) return b.value;
  return undefined;
}

/** What a reply answers: an id, or an object naming one. */
function repliedTo(target: unknown): string | undefined {
  for (const t of list(target)) {
    if (typeof t === 'string') return t;
    if (isObject(t)) return str(t.id) ?? str(t.source);
  }
  return undefined;
}

function attribution(a: Json): string {
  const creator = list(a.creator).find((c) => isObject(c) || typeof c === 'string');
  const name = isObject(creator) ? (str(creator.name) ?? str(creator.nickname)) : undefined;
  const created = str(a.created);
  const date = created && !Number.isNaN(Date.parse(created)) ? new Date(Date.parse(created)).toISOString().slice(0, 10) : undefined;
  return [name?.slice(0, LIMITS.name), date].filter(Boolean).join(', ');
}

function bodyWith(a: Json, text: string): string | undefined {
  const by = attribution(a);
  const body = (by ? `[${by}] ${text}` : text).trim();
  return body && body.length <= LIMITS.body ? body : undefined;
}

export function importW3c(doc: unknown): ImportResult {
  const items = annotationsIn(doc);
  if (items.length > MAX_IMPORTED) throw new Error(`This file holds ${items.length} annotations; at most ${MAX_IMPORTED} can be imported at once.`);
  const threads: ImportedThread[] = [];
  /** The thread each annotation's comment went into (a reply's too: replies to replies join the thread). */
  const threadOf = new Map<string, ImportedThread>();
  /** Annotations left out: replies to them are left out with a reason that says so. */
  const left = new Set<string>();
  const skipped: ImportResult['skipped'] = [];
  const skip = (id: string, reason: string) => {
    left.add(id);
    skipped.push({ id, reason });
  };
  let replies: { a: Json; id: string }[] = [];
  items.forEach((item, i) => {
    const id = isObject(item) ? (str(item.id) ?? `#${i + 1}`) : `#${i + 1}`;
    if (!isObject(item) || !typed(item, 'Annotation')) return skip(id, 'not an annotation');
    const motivation = list(item.motivation);
    if (motivation.includes('replying')) return replies.push({ a: item, id });
    if (motivation.includes('assessing')) return skip(id, 'a decision: only the chair decides, in the review');
    const text = textOf(item);
    if (text === undefined) return skip(id, 'no text');
    const anchor = anchorOf(item.target);
    if (!anchor) return skip(id, 'no quoted passage (TextQuoteSelector)');
    const body = bodyWith(item, text);
    if (!body) return skip(id, 'text empty or too long');
    const category = bodyFor(item, 'classifying');
    const proposal = bodyFor(item, 'editing')?.trim().slice(0, LIMITS.body);
    if (!fits({ anchor, body, proposal })) return skip(id, 'too long once written (control characters count six each)');
    const thread: ImportedThread = {
      source: id,
      anchor,
      body,
      replies: [],
      ...(category && (CATEGORIES as readonly string[]).includes(category) ? { category: category as Category } : {}),
      ...(proposal ? { proposal } : {}),
    };
    threads.push(thread);
    threadOf.set(id, thread);
  });
  // Replies in passes: a reply may come before the reply it answers.
  for (let progress = true; replies.length && progress; ) {
    progress = false;
    const waiting: typeof replies = [];
    for (const r of replies) {
      const target = repliedTo(r.a.target) ?? '';
      const thread = threadOf.get(target);
      if (!thread) {
        if (left.has(target)) {
          skip(r.id, 'a reply to an annotation left out');
          progress = true;
        } else waiting.push(r);
        continue;
      }
      progress = true;
      const text = textOf(r.a);
      const body = text === undefined ? undefined : bodyWith(r.a, text);
      if (!body) skip(r.id, 'no text');
      else if (!fits({ body })) skip(r.id, 'too long once written (control characters count six each)');
      else {
        thread.replies.push(body);
        threadOf.set(r.id, thread);
      }
    }
    replies = waiting;
  }
  for (const r of replies) skip(r.id, 'a reply to an annotation not in this file');
  return { threads, skipped };
}
