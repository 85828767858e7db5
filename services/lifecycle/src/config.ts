import { z } from 'zod';
import { accessTokenConfigShape, baseConfigShape, duration, metricsConfigShape, port } from '@solar/chassis';
import { recurringJobsConfigShape } from './jobs/recurring-jobs';

export const LifecycleConfig = z.object({
  ...baseConfigShape,
  PORT: port(3003),
  HOST: z.string().default('0.0.0.0'),
  ...metricsConfigShape,
  MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
  /** How often Agenda looks for due jobs; a job due within the window still runs at its own time. */
  JOBS_PROCESS_EVERY: duration('5s'),
  /** Jobs of one name running at once in this instance (10,000 purges falling due together share it). */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(20),
  /** A locked job whose instance died is taken over after this long. */
  JOBS_LOCK_LIFETIME: duration('10m'),
  /** Retries of a failed job, with exponential backoff from JOBS_RETRY_DELAY up to JOBS_RETRY_MAX_DELAY; then it stays failed. */
  JOBS_RETRY_ATTEMPTS: z.coerce.number().int().min(0).max(20).default(5),
  JOBS_RETRY_DELAY: duration('30s'),
  JOBS_RETRY_MAX_DELAY: duration('30m'),
  /** Recurring jobs (cron, UTC) and their switches: JOB_<NAME>_CRON and JOB_<NAME>_ENABLED. */
  ...recurringJobsConfigShape,
  ...accessTokenConfigShape,
});
export type LifecycleConfig = z.output<typeof LifecycleConfig>;
