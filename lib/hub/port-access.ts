/**
 * What a surface's port may do, decided when it connects from its sender (lib/extension/start-hub).
 * An extension page (popup, dashboard, options, join page, background) may do anything. A content
 * script runs inside a draft's page, which Margins does not control; a page that subverts it gets
 * exactly what this allows: the reviews of drafts on its own origin (read, comment, decide as the
 * sidebar does), this profile's name, and the groups' names. Never an invite (the group secret),
 * a member list, a removal or a role.
 */
import type { EventType } from '../review/events';
import type { Op } from '../sync/protocol';

export type PortAccess = { scope: 'extension' } | { scope: 'content'; origin: string };

export const EXTENSION_ACCESS: PortAccess = { scope: 'extension' };

/** The operations the sidebar uses. */
export const CONTENT_OPS: ReadonlySet<Op> = new Set<Op>(['whoami', 'set-name', 'find', 'create', 'group-names', 'open', 'append', 'take-focus', 'draft-seen', 'retry-storage']);

/** The events the sidebar writes: comments, decisions, the chair's period. Roles and creation are not among them. */
export const CONTENT_EVENTS: ReadonlySet<EventType> = new Set<EventType>(['comment.add', 'comment.edit', 'comment.delete', 'thread.resolve', 'thread.reopen', 'period.set']);

/** The origin of a draft's address; '' for none. file: pages share the opaque origin "null". */
export function originOf(url: unknown): string {
  try {
    return typeof url === 'string' ? new URL(url).origin : '';
  } catch {
    return '';
  }
}

/**
 * Why a content port may not make this request, or null when it may. `canonicalOf` tells a review's
 * draft address (undefined for a review this browser does not hold).
 */
export async function contentRefusal(origin: string, op: Op, args: Record<string, unknown>, canonicalOf: (review: string) => Promise<string | undefined>): Promise<string | null> {
  if (!CONTENT_OPS.has(op)) return `${op} is not available to a page's content script`;
  const sameOrigin = (url: unknown) => origin !== '' && originOf(url) === origin;
  switch (op) {
    case 'find':
    case 'take-focus':
      return sameOrigin(args.canonical) ? null : 'a page may look only for drafts on its own origin';
    case 'create':
      return sameOrigin(args.canonical) && sameOrigin(args.url) ? null : 'a page may start a review only of a draft on its own origin';
    case 'open':
    case 'append':
    case 'draft-seen': {
      if (!sameOrigin(await canonicalOf(String(args.review)))) return 'a page may reach only the reviews of drafts on its own origin';
      const type = (args.body as { type?: unknown } | undefined)?.type;
      if (op === 'append' && !CONTENT_EVENTS.has(type as EventType)) return `${String(type)} events are not written from a page`;
      return null;
    }
    default:
      return null;
  }
}
