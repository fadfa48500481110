// Adds up vitest's JSON reports into the lines CI reads: one per report
// ("e2e firefox: N passed, N failed, N skipped (T s)"), then the closing line
// "tests: N passed, N failed[, N skipped]". A report that is missing counts as a failure.
// Arguments: `label=path` (or a bare path, labelled by its file name).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const counts = (passed, failed, skipped) => `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
let passed = 0;
let failed = 0;
let skipped = 0;
for (const arg of process.argv.slice(2)) {
  const [label, file] = arg.includes('=') ? arg.split('=', 2) : [basename(arg, '.json'), arg];
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    let f = report.numFailedTests;
    if (report.numFailedTestSuites > 0 && report.numFailedTests === 0) f += report.numFailedTestSuites;
    const s = report.numPendingTests + (report.numTodoTests ?? 0);
    const ends = (report.testResults ?? []).map((r) => r.endTime).filter(Number.isFinite);
    const seconds = ends.length ? ` (${Math.round((Math.max(...ends) - report.startTime) / 1000)} s)` : '';
    console.log(`${label}: ${counts(report.numPassedTests, f, s)}${seconds}`);
    passed += report.numPassedTests;
    failed += f;
    skipped += s;
  } catch {
    console.log(`${label}: no test report at ${file} (that stage did not run to the end)`);
    failed += 1;
  }
}
console.log(`tests: ${counts(passed, failed, skipped)}`);
