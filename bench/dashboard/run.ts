/**
 * `npm run bench:dashboard`: how long the popup takes to show its dashboard, with data, in the
 * built extension in Chromium. What is timed is what the user sees: from the popup's navigation
 * start to the frame after every review card is in the page with its counts. Baseline, in the same
 * browser: the popup with no review at all (time to its "No reviews yet" frame).
 *
 * The data: one review of REVIEWS_THREADS threads folded for real here (500 by default: replies,
 * resolutions with dispositions, a period), its dashboard row as the hub writes it (summary
 * included), stored REVIEWS times under other ids in the hub's database (seeding 10,000 signed
 * comments through the hub would time the hub's appends, issue 14, not the popup).
 */
import { generateIdentity } from '../../lib/identity';
import { countThreads, DISPOSITIONS, newReviewId, signEvent, summarize, type Envelope, type EventBody } from '../../lib/review';
import { foldEnvelopes } from '../../tests/unit/helpers';
import { eventIdOf } from '../../lib/review/ids';
import type { ReviewRecord } from '../../lib/store/db';
import { launch } from '../../tests/e2e/browser';
import { median, rng } from '../support';

const REVIEWS = Number(process.env.REVIEWS ?? 20);
const THREADS = Number(process.env.REVIEWS_THREADS ?? 500);
const RUNS = Number(process.env.RUNS ?? 15);

async function oneReview(): Promise<ReviewRecord> {
  const chair = await generateIdentity();
  const members = await Promise.all(Array.from({ length: 12 }, () => generateIdentity()));
  const review = newReviewId(chair.keyId);
  const r = rng(11);
  const clocks = new Map<string, { t: number; c: number } | undefined>();
  const heads = new Map<string, string | null>();
  const envelopes: Envelope[] = [];
  let t = Date.parse('2026-11-01T00:00:00Z');
  const emit = async (who: typeof chair, body: EventBody) => {
    const env = await signEvent(who, review, body, clocks.get(who.publicKey), (t += 1_000), heads.get(who.publicKey) ?? null);
    clocks.set(who.publicKey, JSON.parse(env.p).hlc);
    heads.set(who.publicKey, await eventIdOf(env.p));
    envelopes.push(env);
    return heads.get(who.publicKey)!;
  };
  await emit(chair, { type: 'review.create', title: 'Proposal for an IGF Programme Framework', url: 'https://drafts.example.org/p', canonical: 'https://drafts.example.org/p' });
  await emit(chair, { type: 'profile.set', name: 'Chair' });
  for (const [i, m] of members.entries()) await emit(chair, { type: 'role.grant', subject: m.publicKey, role: 'member', name: `Member ${i + 1}` });
  await emit(chair, { type: 'period.set', opens: null, closes: '2026-12-15T17:00:00Z', reason: 'As agreed' });
  for (let i = 0; i < THREADS; i++) {
    const author = members[r.int(0, members.length - 1)];
    const section = `${1 + (i % 12)}. Section ${1 + (i % 12)}`;
    const thread = await emit(author, {
      type: 'comment.add',
      anchor: { quote: { type: 'TextQuoteSelector', exact: `passage ${i} of the draft, quoted at some length to be realistic` }, position: { type: 'TextPositionSelector', start: i * 100, end: i * 100 + 60 }, section },
      body: `Comment ${i}: please reconsider this wording.`,
    });
    for (let k = r.int(0, 2); k > 0; k--) await emit(members[r.int(0, members.length - 1)], { type: 'comment.add', thread, body: `A reply to ${i}.` });
    if (r.next() < 0.4) await emit(chair, { type: 'thread.resolve', thread, disposition: DISPOSITIONS[r.int(0, DISPOSITIONS.length - 1)], note: 'Handled in v2.' });
  }
  const state = await foldEnvelopes(review, envelopes);
  if (state.rejected.length) throw new Error(`the generated review has ${state.rejected.length} rejected events`);
  const now = Date.parse('2026-11-27T12:00:00Z');
  return {
    id: review,
    title: state.meta!.title,
    url: state.meta!.url,
    canonical: state.meta!.canonical,
    status: 'active',
    opens: null,
    closes: state.period!.closes,
    counts: countThreads(state),
    myRole: 'chair',
    updatedAt: state.clock!.t,
    period: state.period,
    summary: summarize(state, chair.publicKey, now),
  };
}

/** Opens the popup RUNS times; the time to the frame after `ready` holds. */
/** Per open: when the page's own script had run (DOMContentLoaded) and when the hub's list arrived. */
const phases: { loaded: number; listed: number }[] = [];

async function time(browser: Awaited<ReturnType<typeof launch>>, ready: string): Promise<number[]> {
  const times: number[] = [];
  phases.length = 0;
  for (let i = 0; i < RUNS; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(`(() => {
      const done = () => requestAnimationFrame(() => (globalThis.__painted = performance.now()));
      const check = () => { if (${ready}) { observer.disconnect(); done(); } };
      const observer = new MutationObserver(check);
      document.addEventListener('DOMContentLoaded', () => { observer.observe(document.body, { childList: true, subtree: true }); check(); });
    })()`);
    await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    // (Functions, not strings: an extension page's policy forbids evaluating strings.)
    await page.waitForFunction(() => (globalThis as { __painted?: number }).__painted !== undefined, undefined, { timeout: 30_000 });
    times.push(await page.evaluate(() => (globalThis as unknown as { __painted: number }).__painted));
    phases.push(
      await page.evaluate(() => ({
        loaded: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
        listed: performance.getEntriesByName('margins:listed')[0]?.startTime ?? NaN,
      })),
    );
    await page.close();
  }
  return times;
}

const record = await oneReview();
const rows = Array.from({ length: REVIEWS }, (_, i) => ({ ...record, id: `${record.id.split('.')[0]}.bench${String(i).padStart(5, '0')}`, title: `${record.title} (${i + 1})`, updatedAt: record.updatedAt + i }));
const rowBytes = JSON.stringify(record).length;
const browser = await launch();
try {
  // tsx compiles functions with a __name helper that pages do not have.
  await browser.context.addInitScript('globalThis.__name = (f) => f');
  const ext = await browser.context.newPage();
  await ext.goto(`chrome-extension://${browser.extensionId}/dashboard.html`);
  await ext.locator('.empty').waitFor(); // the hub is up, its database open
  const baseline = await time(browser, "document.querySelector('.empty')");
  // Rows written where the hub keeps them (the extension's own IndexedDB, same origin).
  await ext.evaluate(async (records) => {
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('margins');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const tx = open.result.transaction('reviews', 'readwrite');
        for (const r of records) tx.objectStore('reviews').put(r);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      };
    });
  }, rows);
  const loaded = await time(browser, `document.querySelectorAll('.review .open-count').length >= ${REVIEWS}`);
  const page = median(phases.map((p) => p.loaded));
  const listed = median(phases.map((p) => p.listed));
  const m = median(loaded);
  const b = median(baseline);
  if (!(m > 0) || !(b > 0)) throw new Error(`broken measurement: popup ${m} ms, baseline ${b} ms`);
  console.log(`Popup dashboard, ${REVIEWS} reviews × ${record.counts.threads} threads (${record.counts.comments} comments each; a row is ${(rowBytes / 1024).toFixed(0)} KiB), ${RUNS} opens each:`);
  console.log(`  with data, to the frame after every card:  median ${m.toFixed(0)} ms   (runs: ${loaded.map((x) => x.toFixed(0)).join(', ')})   target < 200 ms`);
  console.log(`  baseline, no review (same browser):          median ${b.toFixed(0)} ms   (runs: ${baseline.map((x) => x.toFixed(0)).join(', ')})`);
  console.log(`  ratio with data / baseline:                  ${(m / b).toFixed(2)}×`);
  console.log(`  of which (medians, with data): page loaded ${page.toFixed(0)} ms, hub's list arrived ${listed.toFixed(0)} ms, cards painted ${m.toFixed(0)} ms`);
} finally {
  await browser.close();
}
