#!/usr/bin/env node
// `npm run lint:firefox`: Mozilla's add-on linter (web-ext lint) over the built Firefox extension.
// Fails on any error, and on any warning but one kind that comes from a dependency: Preact's
// support for `dangerouslySetInnerHTML`, which Margins never uses (comment text is always text).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const DIR = '.output/firefox-mv2';
const run = spawnSync('npx', ['web-ext', 'lint', '--source-dir', DIR, '--output', 'json', '--no-config-discovery'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(run.stdout, run.stderr);
  process.exit(1);
}

/** Preact's innerHTML assignment reads `.__html`; anything else is ours to fix. */
function fromPreact(message) {
  if (message.code !== 'UNSAFE_VAR_ASSIGNMENT' || !message.file) return false;
  const line = readFileSync(`${DIR}/${message.file}`, 'utf8').split('\n')[(message.line ?? 1) - 1] ?? '';
  return /innerHTML\s*=\s*\w+\.__html/.test(line.slice(Math.max(0, (message.column ?? 0) - 200), (message.column ?? 0) + 200));
}

const problems = [...report.errors, ...report.warnings.filter((w) => !fromPreact(w))];
const excused = report.warnings.length - (problems.length - report.errors.length);
for (const p of problems) console.log(`${p._type ?? p.type}: ${p.code} ${p.file ?? ''}${p.line ? `:${p.line}` : ''} — ${p.message}`);
console.log(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length - excused} warnings from Margins' code, ${excused} from Preact's innerHTML support, ${report.notices.length} notices`);
process.exit(problems.length ? 1 : 0);
