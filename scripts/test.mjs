#!/usr/bin/env node
// `npm test`: type-check, unit tests, then browser tests; stops at the first failing stage and
// ends with one plain summary line ("N passed, N failed") over both test runs.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const OUT = '.test-results';
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const stages = [
  ['type-check', 'npx', ['tsc', '--noEmit']],
  ['unit', 'npx', ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${OUT}/unit.json`]],
  ['e2e', 'node', ['scripts/e2e.mjs', '--reporter=default', '--reporter=json', `--outputFile.json=${OUT}/e2e.json`]],
];

let passed = 0;
let failed = 0;
let status = 0;
for (const [name, cmd, args] of stages) {
  console.log(`\n── ${name} ──`);
  status = spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1;
  try {
    const report = JSON.parse(readFileSync(`${OUT}/${name}.json`, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
  } catch {
    // the type-check writes no report
  }
  if (status !== 0) {
    console.log(`\n${name} failed.`);
    if (failed === 0) failed = 1;
    break;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status);
