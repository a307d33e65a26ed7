/**
 * `npm run bench:anchoring`: our matcher against the common approach (baseline.ts), in the same
 * process, on a seeded corpus of revisions of the fixture drafts at several sizes (corpus.ts).
 * Every comment of a revision is re-anchored in that revision, as the overlay does when a reviewer
 * opens the new draft. Prints accuracy, wrong anchors, orphans missed and time (each comment's
 * median over PASSES passes, 3 by default).
 */
import { performance } from 'node:perf_hooks';
import { matchQuote, type Match } from '../../lib/anchoring';
import { draftText, median, rng } from '../support';
import { baselineMatch } from './baseline';
import { buildRevision, KINDS, type Comment } from './corpus';

const SEED = Number(process.env.SEED ?? 20261127);
const large = draftText('programme-framework-large.html');
const docs = [
  { name: 'meeting summary (5 KB)', text: draftText('mag-wg-mwp-2018-08-15.html'), revisions: 12, perKind: 1 },
  { name: 'proposal v1 (55 KB)', text: draftText('programme-framework-v1.html'), revisions: 8, perKind: 4 },
  { name: 'consolidated, part (300 KB)', text: large.slice(0, large.indexOf('\n', 300_000)), revisions: 3, perKind: 10 },
  { name: 'consolidated (1.4 MB)', text: large, revisions: 2, perKind: 12 },
];

type Matcher = (text: string, c: Comment) => Match | null;
const matchers: Record<string, Matcher> = {
  margins: (text, c) => matchQuote(text, c.quote, c.position),
  baseline: (text, c) => baselineMatch(text, c.quote, c.position),
};

interface Outcome { doc: string; kind: string; correct: boolean; wrong: boolean; missed: boolean; wrongOnDeleted: boolean; ms: number }

function iou(a: { start: number; end: number }, b: { start: number; end: number }): number {
  const inter = Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  return inter / (Math.max(a.end, b.end) - Math.min(a.start, b.start));
}

function judge(doc: string, c: Comment, m: Match | null, ms: number): Outcome {
  const base = { doc, kind: c.kind, ms };
  if (!c.expected) return { ...base, correct: !m, wrong: !!m, missed: false, wrongOnDeleted: !!m };
  if (!m) return { ...base, correct: false, wrong: false, missed: true, wrongOnDeleted: false };
  const right = iou(m, c.expected) >= 0.6;
  return { ...base, correct: right, wrong: !right, missed: false, wrongOnDeleted: false };
}

const results: Record<string, Outcome[]> = { margins: [], baseline: [] };
const revisionMs: Record<string, number[]> = { margins: [], baseline: [] };
const r = rng(SEED);
const revs = docs.flatMap((doc) => Array.from({ length: doc.revisions }, () => ({ doc: doc.name, ...buildRevision(r, doc.name, doc.text, doc.perKind) })));
const comments = revs.reduce((n, rev) => n + rev.comments.length, 0);
const revisions = revs.length;
// Every matcher goes over the whole corpus PASSES times; a comment's time is its median over
// the passes (this machine is shared and noisy), its outcome the same in every pass.
const PASSES = Number(process.env.PASSES ?? 3);
const times: Record<string, number[][]> = { margins: [], baseline: [] };
for (let pass = 0; pass < PASSES; pass++) {
  let i = 0;
  for (const rev of revs) {
    for (const [name, match] of Object.entries(matchers)) {
      let j = i;
      for (const c of rev.comments) {
        const t = performance.now();
        const m = match(rev.revised, c);
        const ms = performance.now() - t;
        (times[name][j++] ??= []).push(ms);
        if (pass > 0) continue;
        const outcome = judge(rev.doc, c, m, ms);
        results[name].push(outcome);
        if (process.env.SHOW_MISSED && name === 'margins' && outcome.missed) {
          const e = c.expected!;
          console.log(`missed ${c.kind}: ${JSON.stringify(c.quote.prefix + '[' + c.quote.exact + ']' + c.quote.suffix)}\n  now ${JSON.stringify(rev.revised.slice(Math.max(0, e.start - 32), e.start) + '[' + rev.revised.slice(e.start, e.end) + ']' + rev.revised.slice(e.end, e.end + 32))}`);
        }
        if (process.env.SHOW_WRONG && name === 'margins' && outcome.wrong) {
          const around = (s: number, e: number) => JSON.stringify(rev.revised.slice(Math.max(0, s - 40), e + 40));
          console.log(`wrong ${c.kind}: ${JSON.stringify(c.quote.prefix + '[' + c.quote.exact + ']' + c.quote.suffix)}\n  got ${around(m!.start, m!.end)} score ${m!.score}\n  expected ${c.expected ? around(c.expected.start, c.expected.end) : 'orphan'}`);
        }
      }
    }
    i += rev.comments.length;
  }
}
for (const name of Object.keys(matchers)) {
  results[name].forEach((o, k) => (o.ms = median(times[name][k])));
  let k = 0;
  for (const rev of revs) {
    revisionMs[name].push(results[name].slice(k, k + rev.comments.length).reduce((sum, o) => sum + o.ms, 0));
    k += rev.comments.length;
  }
}

if (process.env.SHOW_SLOW) {
  const slow = [...results.margins].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.SHOW_SLOW));
  for (const o of slow) console.log(`slow ${o.ms.toFixed(2)} ms ${o.kind} in ${o.doc}${o.correct ? '' : ' (not right)'}`);
  const total = results.margins.reduce((s, o) => s + o.ms, 0);
  console.log(`the slowest ${slow.length} take ${((100 * slow.reduce((s, o) => s + o.ms, 0)) / total).toFixed(0)} % of the time`);
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '–');
function summary(rows: Outcome[]) {
  return {
    n: rows.length,
    accuracy: pct(rows.filter((o) => o.correct).length, rows.length),
    wrong: rows.filter((o) => o.wrong).length,
    wrongOnDeleted: rows.filter((o) => o.wrongOnDeleted).length,
    missed: rows.filter((o) => o.missed).length,
    totalMs: rows.reduce((s, o) => s + o.ms, 0),
    medianMs: median(rows.map((o) => o.ms)),
  };
}

console.log(`Anchoring benchmark — seed ${SEED}: ${revisions} revisions, ${comments} comments; Node ${process.version}\n`);
console.log('| document | matcher | comments | accuracy | wrong anchors | on deleted passages | orphans missed | total ms | median ms/comment |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const doc of [...docs.map((d) => d.name), 'all']) {
  for (const name of Object.keys(matchers)) {
    const s = summary(results[name].filter((o) => doc === 'all' || o.doc === doc));
    console.log(`| ${doc} | ${name} | ${s.n} | ${s.accuracy} | ${s.wrong} | ${s.wrongOnDeleted} | ${s.missed} | ${s.totalMs.toFixed(0)} | ${s.medianMs.toFixed(3)} |`);
  }
}
const ours = summary(results.margins);
const base = summary(results.baseline);
console.log(`\nTime over the corpus: margins ${ours.totalMs.toFixed(0)} ms, baseline ${base.totalMs.toFixed(0)} ms — ${(base.totalMs / ours.totalMs).toFixed(1)}× faster; median revision ${median(revisionMs.margins).toFixed(1)} ms vs ${median(revisionMs.baseline).toFixed(1)} ms.`);
{
  // The first pass alone, cold start included, for comparison with the medians above.
  const first = (name: string) => times[name].reduce((sum, t) => sum + t[0], 0);
  console.log(`First pass only: margins ${first('margins').toFixed(0)} ms, baseline ${first('baseline').toFixed(0)} ms — ${(first('baseline') / first('margins')).toFixed(1)}×.`);
}

console.log('\n| kind | comments | margins accuracy | margins wrong | margins ms | baseline accuracy | baseline wrong | baseline ms |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const kind of KINDS) {
  const a = summary(results.margins.filter((o) => o.kind === kind));
  const b = summary(results.baseline.filter((o) => o.kind === kind));
  console.log(`| ${kind} | ${a.n} | ${a.accuracy} | ${a.wrong} | ${a.totalMs.toFixed(0)} | ${b.accuracy} | ${b.wrong} | ${b.totalMs.toFixed(0)} |`);
}
