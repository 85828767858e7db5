/**
 * Prints the closing line of `npm test` (scripts/test.sh): the passed, failed and skipped tests of
 * every step, summed.
 *
 *   tsx tools/scripts/test-counts.ts jest:<status>:<jest --json file> fuzz:<status>:<counts file> ...
 *
 * A status is the step's exit code or `skipped`; a counts file a step did not write counts as none.
 */
import { existsSync, readFileSync } from 'node:fs';
import { closingLine, FuzzCounts, jestCounts, sumCounts, type Counts, type StepResult } from '../src/test-counts';

function step(argument: string): StepResult {
  const [kind, status, ...file] = argument.split(':');
  const path = file.join(':');
  if (status === 'skipped') return { status };
  const exitStatus = Number(status);
  if (!Number.isInteger(exitStatus)) throw new Error(`not a step's exit status: ${argument}`);
  if (!path || !existsSync(path)) return { status: exitStatus };
  const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const counts: Counts = kind === 'jest' ? jestCounts(json) : FuzzCounts.parse(json);
  return { status: exitStatus, counts };
}

console.log(closingLine(sumCounts(process.argv.slice(2).map(step))));
