/** The period's phases and the dashboard's summary of a review (lib/review/period.ts, summary.ts). */
import { describe, expect, it } from 'vitest';
import { closableNow, countdownParts, countThreads, periodStatus, summarize, type Period } from '../../lib/review';
import { anchor, emit, foldEnvelopes, idOf, scenario } from './helpers';
import { badgeFor, dueReminders } from '../../lib/hub/reminders';
import type { ReviewRecord } from '../../lib/store/db';

const H = 3_600_000;
const period = (opens: number | null, closes: number | null, late = true): Period => ({
  opens: opens === null ? null : new Date(opens).toISOString(),
  closes: closes === null ? null : new Date(closes).toISOString(),
  late,
  reason: '',
  setBy: 'k',
  at: 0,
  eventId: 'e',
});

describe('review period', () => {
  it('is upcoming, open, closing soon in its last 48 hours, then closed', () => {
    const p = period(100 * H, 200 * H, false);
    expect(periodStatus(null, 0)).toEqual({ phase: 'none', remaining: null, membersMayComment: true, late: false });
    expect(periodStatus(p, 90 * H)).toMatchObject({ phase: 'upcoming', remaining: 10 * H });
    expect(periodStatus(p, 150 * H)).toMatchObject({ phase: 'open', remaining: 50 * H, membersMayComment: true });
    expect(periodStatus(p, 153 * H)).toMatchObject({ phase: 'closing', remaining: 47 * H });
    expect(periodStatus(p, 201 * H)).toMatchObject({ phase: 'closed', remaining: null, membersMayComment: false, late: true });
    expect(periodStatus(period(null, 200 * H, true), 201 * H)).toMatchObject({ phase: 'closed', membersMayComment: true, late: true });
    expect(periodStatus(period(100 * H, null), 150 * H)).toMatchObject({ phase: 'open', remaining: null });
  });

  it('may be closed at once only while it runs towards a closing time (not before it opens, nor after)', () => {
    const p = period(100 * H, 200 * H);
    expect([90, 150, 199, 201].map((h) => closableNow(p, h * H))).toEqual([false, true, true, false]);
    expect(closableNow(period(null, 200 * H), 0)).toBe(true);
    expect(closableNow(period(100 * H, null), 150 * H)).toBe(false);
    expect(closableNow(null, 0)).toBe(false);
  });

  it('counts down in days, hours and minutes', () => {
    expect(countdownParts(3 * 24 * H + 4 * H + 5 * 60_000 + 59_000)).toEqual({ days: 3, hours: 4, minutes: 5 });
    expect(countdownParts(-5)).toEqual({ days: 0, hours: 0, minutes: 0 });
  });
});

describe('dashboard summary', () => {
  it("counts as the sidebar does, and tells the chair what waits and the member what is theirs", async () => {
    const s = await scenario();
    const { chair, member, reviewId } = s;
    const withSection = (exact: string, section: string, start: number) => ({ ...anchor(exact), section, position: { type: 'TextPositionSelector' as const, start, end: start + exact.length } });
    const a = await emit(member, reviewId, { type: 'comment.add', anchor: withSection('scope', '2. Scope', 500), body: 'Too broad' }, 2_000);
    const b = await emit(member, reviewId, { type: 'comment.add', anchor: withSection('intro', '1. Introduction', 10), body: 'Typo' }, 2_100);
    const c = await emit(chair, reviewId, { type: 'comment.add', anchor: withSection('goals', '2. Scope', 700), body: 'Chair note' }, 2_200);
    const gone = await emit(member, reviewId, { type: 'comment.add', anchor: withSection('x', '3. Other', 900), body: 'Withdrawn' }, 2_250);
    const events = [
      ...s.base,
      a,
      b,
      c,
      gone,
      await emit(member, reviewId, { type: 'comment.delete', comment: await idOf(gone) }, 2_260),
      await emit(chair, reviewId, { type: 'comment.add', thread: await idOf(a), body: 'Which part?' }, 2_300),
      await emit(chair, reviewId, { type: 'thread.resolve', thread: await idOf(b), disposition: 'accepted', note: '' }, 2_400),
      await emit(chair, reviewId, { type: 'period.set', opens: null, closes: new Date(3_000).toISOString() }, 2_500),
      await emit(member, reviewId, { type: 'comment.add', thread: await idOf(c), body: 'Late reply' }, 4_000),
    ];
    const state = await foldEnvelopes(reviewId, events);
    const forChair = summarize(state, chair.identity.publicKey, 5_000);
    expect(forChair.counts).toEqual(countThreads(state));
    expect(forChair.counts).toEqual({ threads: 3, open: 2, resolved: 1, comments: 5 });
    expect(forChair.byDisposition).toMatchObject({ accepted: 1, noted: 0 });
    expect(forChair.unanswered).toBe(0); // both open threads have an answer from someone else
    expect(forChair.late).toBe(1);
    expect(forChair.period).toMatchObject({ phase: 'closed', closes: '1970-01-01T00:00:03.000Z' });
    expect(forChair.sections.map((x) => [x.section, x.threads, x.comments, x.open])).toEqual([
      ['1. Introduction', 1, 1, 0],
      ['2. Scope', 2, 4, 2],
    ]);
    expect(forChair.needsDecision.map((t) => t.quote)).toEqual(['scope', 'goals']);
    expect(forChair.participation.map((p) => [p.name, p.comments, p.threads])).toEqual([
      ['Member', 3, 2],
      ['Chair', 2, 1],
    ]);
    expect(forChair.progress).toEqual([{ at: 2_400, resolved: 1 }]);

    const forMember = summarize(state, member.identity.publicKey, 5_000);
    expect(forMember.mine.map((t) => [t.quote, t.replies])).toEqual([['scope', 1]]);
    expect(forChair.mine.map((t) => [t.quote, t.replies])).toEqual([['goals', 1]]);
  });

  it('lists a member who has not written yet, with nothing', async () => {
    const s = await scenario();
    const state = await foldEnvelopes(s.reviewId, s.base);
    expect(summarize(state, s.chair.identity.publicKey, 0).participation.map((p) => [p.name, p.comments])).toEqual([
      ['Chair', 0],
      ['Member', 0],
    ]);
  });
});

describe('reminders and the badge', () => {
  const me = 'ME';
  const row = (over: Partial<ReviewRecord>, wrote = 0, open = 3): ReviewRecord => ({
    id: 'r1',
    title: 'Proposal',
    url: 'u',
    canonical: 'u',
    status: 'active',
    opens: null,
    closes: null,
    counts: { threads: open, open, resolved: 0, comments: 0 },
    myRole: 'member',
    updatedAt: 0,
    period: period(null, 100 * H),
    summary: { counts: { threads: open, open, resolved: 0, comments: wrote }, participation: [{ key: me, name: 'Me', role: 'member', comments: wrote, threads: 0 }] } as never,
    ...over,
  });

  it('reminds a member who has not commented, 48 h and 2 h before closing, each once', () => {
    expect(dueReminders([row({})], me, 40 * H, new Set())).toEqual([]);
    const at48 = dueReminders([row({})], me, 60 * H, new Set());
    expect(at48.map((r) => r.kind)).toEqual(['closing-48h']);
    expect(dueReminders([row({})], me, 61 * H, new Set([at48[0].key]))).toEqual([]);
    expect(dueReminders([row({})], me, 99 * H, new Set([at48[0].key])).map((r) => r.kind)).toEqual(['closing-2h']);
    // Nothing for someone who has written, nor after closing.
    expect(dueReminders([row({}, 1)], me, 99 * H, new Set())).toEqual([]);
    expect(dueReminders([row({})], me, 101 * H, new Set())).toEqual([]);
  });

  it('tells the chair at closing how many threads are open; a moved deadline re-arms it', () => {
    const chairRow = row({ myRole: 'chair' });
    const [closed] = dueReminders([chairRow], me, 100 * H + 1, new Set());
    expect(closed).toMatchObject({ kind: 'closed', open: 3 });
    expect(dueReminders([chairRow], me, 130 * H, new Set())).toEqual([]); // a day later is no news
    expect(dueReminders([row({ myRole: 'chair', period: period(null, 120 * H) })], me, 120 * H + 1, new Set([closed.key]))).toHaveLength(1);
  });

  it('badges days left, hours in the last day, or the chair’s open threads once closed', () => {
    expect(badgeFor([row({})], 28 * H)).toEqual({ text: '3d', kind: 'time' });
    expect(badgeFor([row({})], 95 * H)).toEqual({ text: '5h', kind: 'time' });
    expect(badgeFor([row({ myRole: 'chair' })], 101 * H)).toEqual({ text: '3', kind: 'open' });
    expect(badgeFor([row({ period: null })], 0)).toEqual({ text: '', kind: 'none' });
  });
});
