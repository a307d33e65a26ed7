/**
 * The review as a W3C Web Annotation collection (JSON-LD): for other annotation tools, and for
 * anyone who wants the record without Margins. Mapping (docs/export.md):
 * - a thread's first comment: motivation `commenting`, target the draft with a TextQuoteSelector
 *   and, where known, a TextPositionSelector;
 * - a reply: motivation `replying`, target the thread's first annotation;
 * - the chair's decision: motivation `assessing`, target the thread's first annotation, one body
 *   tagging the disposition (purpose `tagging`) and one with the response (purpose `commenting`);
 * - a deleted or withheld comment keeps its annotation, without a body (its text is gone);
 * - ids are URNs of the record's own ids (event ids, key ids): stable across exports.
 */
import { keyIdOf } from '../identity';
import type { ReviewState, Thread } from '../review/state';
import type { CommentView, Resolution, ThreadView } from './resolution';

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';

const iso = (ms: number) => new Date(ms).toISOString();
export const annotationId = (eventId: string) => `urn:margins:event:${eventId}`;

interface Agent {
  id: string;
  type: 'Person';
  name: string;
}

function agent(keyIds: ReadonlyMap<string, string>, key: string, name: string): Agent {
  return { id: `urn:margins:key:${keyIds.get(key)}`, type: 'Person', name };
}

/**
 * Every author's key id. The state has one for each member whose event counted; a member granted
 * a role and removed before any did (their comments withheld) has none there: it is derived.
 */
async function keyIdsOf(state: ReviewState): Promise<Map<string, string>> {
  const keys = new Set(Object.keys(state.members));
  for (const t of state.threads) {
    for (const c of t.comments) keys.add(c.author);
    for (const h of t.history) keys.add(h.by);
  }
  const ids = new Map<string, string>();
  for (const key of keys) ids.set(key, state.members[key]?.keyId || (await keyIdOf(key)));
  return ids;
}

/** The comment's text, then (when given) its type as a classification and its proposed change as an edit. */
function commentBodies(c: CommentView, first: boolean): Record<string, unknown> | Record<string, unknown>[] {
  const text = { type: 'TextualBody', value: c.body, format: 'text/plain', purpose: first ? 'commenting' : 'replying' };
  const more = [
    ...(c.category ? [{ type: 'TextualBody', value: c.category, purpose: 'classifying' }] : []),
    ...(c.proposal ? [{ type: 'TextualBody', value: c.proposal, format: 'text/plain', purpose: 'editing' }] : []),
  ];
  return more.length ? [text, ...more] : text;
}

function commentAnnotation(state: ReviewState, keyIds: ReadonlyMap<string, string>, r: Resolution, t: ThreadView, source: Thread, c: CommentView, first: boolean): Record<string, unknown> {
  const anchor = source.anchor;
  const target = first
    ? {
        // A review's address, when its creation event is missing (every target needs a source).
        source: r.url || `urn:margins:review:${state.id}`,
        selector: [
          { type: 'TextQuoteSelector', exact: anchor.quote.exact, ...(anchor.quote.prefix ? { prefix: anchor.quote.prefix } : {}), ...(anchor.quote.suffix ? { suffix: anchor.quote.suffix } : {}) },
          ...(anchor.position ? [{ type: 'TextPositionSelector', start: anchor.position.start, end: anchor.position.end }] : []),
        ],
      }
    : annotationId(t.id);
  return {
    '@context': ANNO_CONTEXT,
    id: annotationId(c.id),
    type: 'Annotation',
    motivation: first ? 'commenting' : 'replying',
    created: iso(c.at),
    ...(c.editedAt !== undefined && !c.deleted ? { modified: iso(c.editedAt) } : {}),
    creator: agent(keyIds, c.author, c.authorName),
    ...(c.deleted || c.withheld ? {} : { body: commentBodies(c, first) }),
    target,
  };
}

function decisionAnnotation(keyIds: ReadonlyMap<string, string>, t: ThreadView, source: Thread): Record<string, unknown> | null {
  const entry = [...source.history].reverse().find((h) => h.action === 'resolved');
  if (t.status !== 'resolved' || !entry || !t.disposition) return null;
  return {
    '@context': ANNO_CONTEXT,
    id: annotationId(entry.eventId),
    type: 'Annotation',
    motivation: 'assessing',
    created: iso(entry.at),
    creator: agent(keyIds, entry.by, t.decidedBy ?? ''),
    body: [
      { type: 'TextualBody', value: t.disposition, purpose: 'tagging' },
      ...(t.response ? [{ type: 'TextualBody', value: t.response, format: 'text/plain', purpose: 'commenting' }] : []),
    ],
    target: annotationId(t.id),
  };
}

export async function toW3c(r: Resolution, state: ReviewState): Promise<string> {
  const keyIds = await keyIdsOf(state);
  const items: Record<string, unknown>[] = [];
  const threads = new Map(state.threads.map((t) => [t.id, t]));
  for (const s of r.sections) {
    for (const t of s.threads) {
      const source = threads.get(t.id)!;
      t.comments.forEach((c, i) => items.push(commentAnnotation(state, keyIds, r, t, source, c, i === 0)));
      const decision = decisionAnnotation(keyIds, t, source);
      if (decision) items.push(decision);
    }
  }
  const id = `urn:margins:review:${state.id}`;
  const collection = {
    '@context': ANNO_CONTEXT,
    id,
    type: 'AnnotationCollection',
    label: `Comments on ${r.title}`,
    total: items.length,
    ...(items.length ? { first: { id: `${id}:page:1`, type: 'AnnotationPage', startIndex: 0, items } } : {}),
  };
  return `${JSON.stringify(collection, null, 2)}\n`;
}
