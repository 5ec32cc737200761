// Writes the browser run's pass/fail counts for scripts/test.mjs, which adds up every
// stage and prints the one `N passed, N failed` line CI reads.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, counts) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else counts.failed++;
  }
  for (const child of suite.suites ?? []) countSuite(child, counts);
}

export function countsReporter({ file = process.env.WTR_COUNTS_FILE } = {}) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const failedBefore = counts.failed;
        if (session.testResults) countSuite(session.testResults, counts);
        // A file that failed to load, or an error thrown outside any test: one failure.
        if (!session.passed && counts.failed === failedBefore) counts.failed++;
      }
      if (file) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, JSON.stringify(counts));
      }
    },
  };
}
