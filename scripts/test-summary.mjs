// Reads every vitest JSON report of this run (packages/*/reports/vitest.json) and prints the
// one line CI reads: `N passed, N failed, N skipped`. A test file that failed to load counts
// as a failure even though it ran no test; no report at all is a failure too.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const reports = [];
for (const group of ['packages', 'tooling']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const file = join(group, name, 'reports', 'vitest.json');
    if (existsSync(file)) reports.push(JSON.parse(readFileSync(file, 'utf8')));
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const report of reports) {
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  if (report.numFailedTests === 0 && report.numFailedTestSuites > 0) failed += report.numFailedTestSuites;
}
if (reports.length === 0) failed += 1;
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
