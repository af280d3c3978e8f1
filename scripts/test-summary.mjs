// Reads every vitest JSON report of this run (packages/*/reports/vitest.json, and
// vitest-published.json where a package also tests its built code) and prints the
// one line CI reads: `N passed, N failed, N skipped`. Counted as failures besides failed tests:
// a test file that failed to load (it ran no test), a package with a `test` script and no
// report (its run never happened, or died), and — with `--run-failed`, which .ci/run passes
// when the test command exited non-zero — a failed run whose reports show no failure (an
// unhandled error, which vitest's JSON does not count). Notes go to stderr; the line is last.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const note = (text) => process.stderr.write(`test-summary: ${text}\n`);
const firstLine = (text) =>
  String(text ?? '')
    .split('\n')[0]
    .slice(0, 300);

for (const group of ['packages', 'tooling']) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    const manifest = join(group, name, 'package.json');
    const testScript = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test : undefined;
    if (!testScript) continue;
    const file = join(group, name, 'reports', 'vitest.json');
    if (!existsSync(file)) {
      note(`${group}/${name} has a test script but wrote no report: counted as 1 failed`);
      failed += 1;
      continue;
    }
    const published = join(group, name, 'reports', 'vitest-published.json');
    if (testScript.includes('vitest.published.config') && !existsSync(published)) {
      note(`${group}/${name} tests its published build but wrote no report of it: counted as 1 failed`);
      failed += 1;
    }
    for (const [report, run] of [[file, ''], ...(existsSync(published) ? [[published, ' (published build)']] : [])].map(
      ([f, run]) => [JSON.parse(readFileSync(f, 'utf8')), run],
    )) {
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += report.numPendingTests + report.numTodoTests;
      // A file that failed without a failed test in it did not load (or crashed outside a test).
      for (const result of report.testResults ?? []) {
        const failures = (result.assertionResults ?? []).filter((a) => a.status === 'failed');
        // Named here, next to the line, because a CI log is often read from its tail only.
        for (const failure of failures) {
          const where = relative(process.cwd(), result.name);
          note(`failed${run}: ${where} > ${failure.fullName}: ${firstLine(failure.failureMessages?.[0])}`);
        }
        if (result.status === 'failed' && failures.length === 0) {
          note(`${result.name}${run} failed outside any test: counted as 1 failed`);
          failed += 1;
        }
      }
    }
  }
}
if (process.argv.includes('--run-failed') && failed === 0) {
  note('the test command failed, but no report shows a failure (an unhandled error?): counted as 1 failed');
  failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
