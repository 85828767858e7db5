/**
 * `npm run bench:purge`: the purge part of `npm run bench` on its own (see purge.ts), with the result
 * saved as JSON. `scripts/bench.sh` builds the workspaces and starts the test profile's servers first.
 * BENCH_PURGE_ACCOUNTS (10,000), JOBS_CONCURRENCY (50), BENCH_LEAD (seconds from seeding to purgeAt)
 * and BENCH_OUTPUT (the JSON file) change the run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runPurge } from './purge';

const output = process.env.BENCH_OUTPUT ?? `.local/bench/purge-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;

runPurge({
  accounts: Number(process.env.BENCH_PURGE_ACCOUNTS ?? 10_000),
  jobsConcurrency: Number(process.env.JOBS_CONCURRENCY ?? 50),
  ...(process.env.BENCH_LEAD ? { leadSeconds: Number(process.env.BENCH_LEAD) } : {}),
}).then(
  (result) => {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`saved ${output}`);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
