/**
 * Sidebar filters and grouping, as pure functions over placed threads. Counts are faceted: the
 * count next to an option is how many threads would show if that option were picked while the
 * other filters stay as they are — so a count never promises threads the list will not show.
 */
import { isUnanswered, type Thread } from '../review/state';

export type StatusFilter = 'all' | 'open' | 'resolved';

export interface Filters {
  status: StatusFilter;
  /** Public key of an author who wrote in the thread, or null for anyone. */
  author: string | null;
  /** Section heading, '' for text before any heading, null for every section. */
  section: string | null;
  mine: boolean;
  unanswered: boolean;
}

export const NO_FILTERS: Filters = { status: 'all', author: null, section: null, mine: false, unanswered: false };

/** What the filters need to know about one thread. */
export interface FilterSubject {
  thread: Thread;
  section: string;
}

const live = (t: Thread) => t.comments.filter((c) => !c.deleted);

export { isUnanswered };

function wrote(thread: Thread, key: string): boolean {
  return live(thread).some((c) => c.author === key);
}

type Facet = keyof Filters;

function passes(s: FilterSubject, f: Filters, me: string, skip?: Facet): boolean {
  const t = s.thread;
  if (skip !== 'status' && f.status !== 'all' && t.status !== f.status) return false;
  if (skip !== 'author' && f.author !== null && !wrote(t, f.author)) return false;
  if (skip !== 'section' && f.section !== null && s.section !== f.section) return false;
  if (skip !== 'mine' && f.mine && !wrote(t, me)) return false;
  if (skip !== 'unanswered' && f.unanswered && !isUnanswered(t)) return false;
  return true;
}

export function applyFilters<T extends FilterSubject>(items: T[], f: Filters, me: string): T[] {
  return items.filter((s) => passes(s, f, me));
}

export function isFiltering(f: Filters): boolean {
  return f.status !== 'all' || f.author !== null || f.section !== null || f.mine || f.unanswered;
}

export interface FilterCounts {
  status: Record<StatusFilter, number>;
  /** By author key, in order of first appearance. */
  authors: Map<string, number>;
  /** By section, in document order of the items given. */
  sections: Map<string, number>;
  mine: number;
  unanswered: number;
}

export function countFilters(items: FilterSubject[], f: Filters, me: string): FilterCounts {
  const counts: FilterCounts = { status: { all: 0, open: 0, resolved: 0 }, authors: new Map(), sections: new Map(), mine: 0, unanswered: 0 };
  for (const s of items) {
    const t = s.thread;
    if (passes(s, f, me, 'status')) {
      counts.status.all++;
      counts.status[t.status]++;
    }
    if (passes(s, f, me, 'author')) {
      for (const key of new Set(live(t).map((c) => c.author))) counts.authors.set(key, (counts.authors.get(key) ?? 0) + 1);
    }
    if (passes(s, f, me, 'section')) counts.sections.set(s.section, (counts.sections.get(s.section) ?? 0) + 1);
    if (passes(s, f, me, 'mine') && wrote(t, me)) counts.mine++;
    if (passes(s, f, me, 'unanswered') && isUnanswered(t)) counts.unanswered++;
  }
  return counts;
}

export interface SectionGroup<T> {
  section: string;
  items: T[];
  /**
   * Stays the group's while groups of other sections come and go before it: keyed by its place in
   * the list, a group whose place moved was drawn anew with every card in it (what a reader had
   * open in a card survives that too: components/panel/remembered.ts).
   */
  key: string;
}

/** Consecutive items under the same heading, in the order given (document order). */
export function groupBySection<T extends FilterSubject>(items: T[]): SectionGroup<T>[] {
  const groups: SectionGroup<T>[] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const last = groups[groups.length - 1];
    if (last && last.section === item.section) last.items.push(item);
    else {
      const n = seen.get(item.section) ?? 0;
      seen.set(item.section, n + 1);
      groups.push({ section: item.section, items: [item], key: `${n}:${item.section}` });
    }
  }
  return groups;
}
