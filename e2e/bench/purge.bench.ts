/**
 * `npm run bench:purge`: the purge part of `npm run bench` on its own (see purge.ts), with the result
 * saved as `purge-<time>.json` in the report folder. `scripts/bench.sh` builds the workspaces and
 * starts the test profile's servers first. BENCH_PURGE_ACCOUNTS (10,000), JOBS_CONCURRENCY (50),
 * BENCH_LEAD (seconds from seeding to purgeAt) and BENCH_OUTPUT (the report's folder, .local/bench,
 * as for the other benches) change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonKnobs, countKnob, secondsKnob } from './support/knobs';
import { runBench } from './support/run';
import { runPurge } from './purge';

const { output } = commonKnobs();

runBench(async () => {
  const result = await runPurge({
    accounts: countKnob(process.env, 'BENCH_PURGE_ACCOUNTS', 10_000),
    jobsConcurrency: countKnob(process.env, 'JOBS_CONCURRENCY', 50),
    ...(process.env.BENCH_LEAD ? { leadSeconds: secondsKnob(process.env, 'BENCH_LEAD', 0) / 1000 } : {}),
  });
  const file = join(output, `purge-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(output, { recursive: true });
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`saved ${file}`);
});
