import { matchQuote } from '../lib/anchoring';
import { draftText, rng } from './support';
import { buildRevision } from './anchoring/corpus';
const large = draftText('programme-framework-large.html');
const docs = [
  { name: 'meeting summary (5 KB)', text: draftText('mag-wg-mwp-2018-08-15.html'), revisions: 12, perKind: 1 },
  { name: 'proposal v1 (55 KB)', text: draftText('programme-framework-v1.html'), revisions: 8, perKind: 4 },
  { name: 'consolidated, part (300 KB)', text: large.slice(0, large.indexOf('\n', 300_000)), revisions: 3, perKind: 10 },
  { name: 'consolidated (1.4 MB)', text: large, revisions: 2, perKind: 12 },
];
const r = rng(20261127);
const revs = [];
for (const d of docs) for (let k = 0; k < d.revisions; k++) revs.push(buildRevision(r, d.name, d.text, d.perKind));
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 100 }); await s.post('Profiler.start');
const t0 = performance.now();
for (let rep = 0; rep < 3; rep++) for (const rev of revs) { const text = rev.revised + ' '.repeat(rep); for (const c of rev.comments) matchQuote(text, c.quote, c.position); }
console.log('3 reps', (performance.now() - t0).toFixed(0), 'ms');
const { profile } = await s.post('Profiler.stop');
const self = new Map(); const byId = new Map(profile.nodes.map((n) => [n.id, n]));
profile.samples.forEach((id, i) => { const n = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber + ':' + n.callFrame.columnNumber; self.set(k, (self.get(k) ?? 0) + profile.timeDeltas[i]); });
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 16)) console.log((v / 1000).toFixed(1).padStart(8), k);
