/**
 * Prints the closing line of `npm test` (scripts/test.sh): the passed, failed and skipped tests of
 * every step, summed.
 *
 *   tsx tools/scripts/test-counts.ts jest:<status>:<jest --json file> counts:<status>:<counts file> ...
 *
 * A status is the step's exit code or `skipped`; a file a step did not write counts as none.
 */
import { closingLine, readStep, sumCounts } from '../src/test-counts';

console.log(closingLine(sumCounts(process.argv.slice(2).map(readStep))));
