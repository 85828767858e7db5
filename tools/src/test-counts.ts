/**
 * The closing line of `npm test`: the tests every runner executed, summed, in the one form that log
 * readers recognise in any language (`N passed, M failed`, then `, K skipped` when there are any).
 */
import { existsSync, readFileSync } from 'node:fs';
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
const FuzzCounts = z.object({ passed: count, failed: count, skipped: count });

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

/**
 * One step as scripts/test.sh names it: `<format>:<status>:<file>`, the format `jest` (Jest's
 * `--json` output: the main suite and the chaos suite) or `counts` (passed, failed and skipped, as
 * the fuzz driver writes them).
 */
export function readStep(argument: string): StepResult {
  const [format, status, ...rest] = argument.split(':');
  const file = rest.join(':');
  if (format !== 'jest' && format !== 'counts') throw new Error(`unknown counts format in ${argument}`);
  if (status === 'skipped') return { status };
  const exitStatus = Number(status);
  if (!Number.isInteger(exitStatus)) throw new Error(`not a step's exit status: ${argument}`);
  if (!file || !existsSync(file)) return { status: exitStatus };
  const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return { status: exitStatus, counts: format === 'jest' ? jestCounts(json) : FuzzCounts.parse(json) };
}
