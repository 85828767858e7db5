/**
 * The closing line of `npm test`: the tests every runner executed, summed, in the one form that log
 * readers recognise in any language (`N passed, M failed`, then `, K skipped` when there are any).
 */
import { z } from 'zod';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** What a step of `npm test` left: its exit status (or `skipped` when it did not run) and its counts, if it wrote them. */
export interface StepResult {
  status: number | 'skipped';
  counts?: Counts | undefined;
}

const count = z.number().int().nonnegative();

/** The fields of Jest's `--json` output that count tests; suites that could not run count as failures. */
const JestResults = z.object({
  numPassedTests: count,
  numFailedTests: count,
  numPendingTests: count,
  numTodoTests: count,
  numRuntimeErrorTestSuites: count,
});

/** What `e2e/fuzz/fuzz.ts` writes beside its reports. */
export const FuzzCounts = z.object({ passed: count, failed: count, skipped: count });

export function jestCounts(json: unknown): Counts {
  const results = JestResults.parse(json);
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
    skipped: results.numPendingTests + results.numTodoTests,
  };
}

export function sumCounts(steps: StepResult[]): Counts {
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const step of steps) {
    if (step.status === 'skipped') continue;
    const counts = step.counts ?? { passed: 0, failed: 0, skipped: 0 };
    total.passed += counts.passed;
    // A step that failed without counting a failure (it crashed, timed out or failed to start)
    // still counts as one: the line must never say "0 failed" for a red run.
    total.failed += step.status !== 0 && counts.failed === 0 ? 1 : counts.failed;
    total.skipped += counts.skipped;
  }
  return total;
}

export function closingLine(counts: Counts): string {
  const line = `${counts.passed} passed, ${counts.failed} failed`;
  return counts.skipped > 0 ? `${line}, ${counts.skipped} skipped` : line;
}
