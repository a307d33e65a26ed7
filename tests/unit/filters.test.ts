import { describe, expect, it } from 'vitest';
import { applyFilters, countFilters, groupBySection, isUnanswered, NO_FILTERS, type FilterSubject } from '../../lib/panel/filters';
import type { Comment, Thread } from '../../lib/review/state';

const comment = (id: string, author: string, deleted = false): Comment => ({ id, author, createdAt: 0, body: deleted ? '' : 'x', deleted, late: false });

function thread(id: string, status: Thread['status'], authors: string[], section: string): FilterSubject {
  const comments = authors.map((a, i) => comment(`${id}-${i}`, a.replace('~', ''), a.startsWith('~')));
  return {
    section,
    thread: { id, anchor: { quote: { type: 'TextQuoteSelector', exact: id } }, author: comments[0].author, createdAt: 0, comments, status, history: [] },
  };
}

const items = [
  thread('t1', 'open', ['ana'], 'Scope'),
  thread('t2', 'open', ['ben', 'ana'], 'Scope'),
  thread('t3', 'resolved', ['ana', 'ana'], 'Timeline'),
  thread('t4', 'open', ['cy', '~ben'], 'Timeline'),
  thread('t5', 'resolved', ['ben'], ''),
];
const ids = (xs: FilterSubject[]) => xs.map((x) => x.thread.id);

describe('sidebar filters', () => {
  it('a thread is unanswered until someone other than its author writes (deleted replies do not count)', () => {
    expect(items.map((i) => isUnanswered(i.thread))).toEqual([true, false, true, true, true]);
  });

  it('combines status, author, section, mine and unanswered', () => {
    expect(ids(applyFilters(items, NO_FILTERS, 'ana'))).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, status: 'open' }, 'ana'))).toEqual(['t1', 't2', 't4']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, author: 'ben' }, 'ana'))).toEqual(['t2', 't5']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, section: 'Timeline' }, 'ana'))).toEqual(['t3', 't4']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, section: '' }, 'ana'))).toEqual(['t5']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, mine: true }, 'ana'))).toEqual(['t1', 't2', 't3']);
    expect(ids(applyFilters(items, { ...NO_FILTERS, mine: true, unanswered: true, status: 'open' }, 'ana'))).toEqual(['t1']);
  });

  it('counts each option as if it were picked with the other filters kept', () => {
    const f = { ...NO_FILTERS, status: 'open' as const, mine: true };
    const c = countFilters(items, f, 'ana');
    // Status ignores its own choice but keeps "mine": ana wrote in t1, t2 (open) and t3 (resolved).
    expect(c.status).toEqual({ all: 3, open: 2, resolved: 1 });
    expect(c.mine).toBe(2);
    expect([...c.authors]).toEqual([['ana', 2], ['ben', 1]]);
    expect([...c.sections]).toEqual([['Scope', 2]]);
    expect(c.unanswered).toBe(1);
    // Every count is what the list shows when that option is picked.
    expect(applyFilters(items, { ...f, author: 'ben' }, 'ana')).toHaveLength(c.authors.get('ben')!);
    expect(applyFilters(items, { ...f, status: 'resolved' }, 'ana')).toHaveLength(c.status.resolved);
  });

  it('groups consecutive threads under their section heading', () => {
    expect(groupBySection(items).map((g) => [g.section, ids(g.items)])).toEqual([
      ['Scope', ['t1', 't2']],
      ['Timeline', ['t3', 't4']],
      ['', ['t5']],
    ]);
  });

  it("keys each section's group the same when a group of another section comes before it", () => {
    const keys = (list: FilterSubject[]) => new Map(groupBySection(list).map((g) => [ids(g.items)[0], g.key]));
    const before = keys(items.slice(2));
    const after = keys(items);
    for (const [first, key] of before) expect(after.get(first)).toBe(key);
    // A section met again further down is another group, with a key of its own.
    const again = groupBySection([...items, { ...items[0], thread: { ...items[0].thread, id: 't9' } }]).map((g) => g.key);
    expect(new Set(again).size).toBe(again.length);
  });
});
