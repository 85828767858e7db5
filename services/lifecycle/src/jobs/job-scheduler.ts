import { setTimeout as sleep } from 'node:timers/promises';
import { Types, type Connection } from 'mongoose';
import { Agenda, backoffStrategies, computeJobState, type Job } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import { reportError, withSpan, type Logger, type Metrics } from '@solar/chassis';
import type { RecurringSchedule } from './recurring-jobs';

/** The one-time job that ends a deletion's grace period; one per user and deletion request. */
export const PURGE_JOB = 'deletion-grace-period-expired';

export interface PurgeData {
  userId: string;
  deletionRequestId: string;
}

export interface JobSchedulerOptions {
  db: Connection;
  processEveryMs: number;
  concurrency: number;
  lockLifetimeMs: number;
  /** How long stop() waits for running jobs before unlocking them for another instance. */
  stopWaitMs: number;
  retry: { attempts: number; delayMs: number; maxDelayMs: number };
  logger: Logger;
  metrics: Metrics;
}

const JOBS_COLLECTION = 'agendaJobs';

/** A job's data as an object: ours are objects, or absent for the recurring jobs. */
const dataOf = (job: { data?: unknown }): Record<string, unknown> =>
  typeof job.data === 'object' && job.data !== null ? (job.data as Record<string, unknown>) : {};

/** Who retried a failed job by hand, kept in the job's data (Agenda's queries return no other field of ours). */
export interface RetriedBy {
  retriedBy: string;
  retriedAt: Date;
}

/**
 * Agenda on lifecycle's own database. Polling only: the Mongo backend's change-stream channel needs a
 * replica set, which the Mongo-wire server used in development does not offer.
 */
export class JobScheduler {
  private readonly agenda: Agenda;
  private readonly db: Connection;
  private readonly backoff;
  /** Jobs this instance is running, so stop() can wait for them and unlock what outlives the wait. */
  private readonly running = new Map<string, Job>();
  private readonly stopWaitMs: number;
  private readonly runs;
  private readonly durations;

  constructor(options: JobSchedulerOptions) {
    const { db, processEveryMs, concurrency, lockLifetimeMs, retry, logger } = options;
    this.stopWaitMs = options.stopWaitMs;
    this.runs = options.metrics.counter({
      name: 'solar_lifecycle_jobs_total',
      help: 'Job runs in this instance by job name and outcome (succeeded, failed); a failed run is retried with backoff',
      labelNames: ['job', 'outcome'],
    });
    this.durations = options.metrics.histogram({
      name: 'solar_lifecycle_job_duration_seconds',
      help: 'Time a job run took, by job name and outcome',
      labelNames: ['job', 'outcome'],
    });
    this.db = db;
    this.agenda = new Agenda({
      // The service's connection, so Agenda.stop() leaves it open for the drain steps after it.
      backend: new MongoBackend({ mongo: db.db!, collection: JOBS_COLLECTION }),
      name: 'lifecycle',
      processEvery: processEveryMs,
      defaultConcurrency: concurrency,
      maxConcurrency: concurrency * 2,
      defaultLockLimit: concurrency * 2,
      defaultLockLifetime: lockLifetimeMs,
    });
    this.backoff =
      retry.attempts === 0
        ? undefined
        : backoffStrategies.exponential({ delay: retry.delayMs, maxDelay: retry.maxDelayMs, maxRetries: retry.attempts, jitter: 0.2 });
    // The job's data holds user ids: log the job's name and id, never its data.
    const report = (error: Error, job: Job) =>
      reportError(error, {
        tags: { kind: 'job', job: job.attrs.name },
        extra: { jobId: String(job.attrs._id), failures: job.attrs.failCount },
      });
    this.agenda.on('fail', (error: Error, job) => {
      logger.warn({ job: job.attrs.name, jobId: String(job.attrs._id), failures: job.attrs.failCount, err: error }, 'job failed');
      if (!this.backoff) report(error, job);
    });
    this.agenda.on('retry exhausted', (error: Error, job) => {
      logger.error({ job: job.attrs.name, jobId: String(job.attrs._id), failures: job.attrs.failCount, err: error }, 'job failed for good');
      report(error, job);
    });
    this.agenda.on('start', (job: Job) => this.running.set(String(job.attrs._id), job));
    this.agenda.on('complete', (job: Job) => this.running.delete(String(job.attrs._id)));
    this.agenda.on('error', (error: Error) => logger.error({ err: error }, 'job scheduler error'));
  }

  define<T>(name: string, run: (data: T) => Promise<void>): void {
    // Each run starts a trace of its own, which the events it publishes carry on to their consumers.
    const traced = (job: Job<T>) =>
      withSpan(`job ${name}`, { attributes: { 'job.name': name, 'job.id': String(job.attrs._id) } }, () =>
        this.measured(name, () => run(job.attrs.data)),
      );
    this.agenda.define<T>(name, traced, this.backoff ? { backoff: this.backoff } : {});
  }

  private async measured(job: string, run: () => Promise<void>): Promise<void> {
    const end = this.durations.startTimer({ job });
    let outcome = 'failed';
    try {
      await run();
      outcome = 'succeeded';
    } finally {
      end({ outcome });
      this.runs.inc({ job, outcome });
    }
  }

  /** Registers the enabled recurring jobs and removes the disabled ones, then starts processing. */
  async start(schedules: RecurringSchedule[]): Promise<void> {
    await this.agenda.ready;
    for (const { name, cron, enabled } of schedules) {
      if (enabled) await this.agenda.every(cron, name, undefined, { timezone: 'UTC', skipImmediate: true });
      else await this.agenda.cancel({ name });
    }
    await this.agenda.start();
  }

  /**
   * Stops taking jobs and unlocks those locked but not started (Agenda's stop), lets running jobs
   * finish for a while, then unlocks the ones still running: another instance, or this one restarted,
   * runs them again instead of waiting out the lock lifetime. Every job here is safe to run twice.
   */
  async stop(): Promise<void> {
    await this.agenda.stop(false);
    const deadline = Date.now() + this.stopWaitMs;
    while (this.running.size > 0 && Date.now() < deadline) await sleep(50);
    const stillRunning = [...this.running.values()].flatMap((job) => (job.attrs._id ? [job.attrs._id] : []));
    if (stillRunning.length > 0) await this.agenda.db.unlockJobs(stillRunning);
  }

  /** Idempotent: a job for the same user and request is never created twice, even once it has run. */
  async schedulePurge(data: PurgeData, at: Date): Promise<void> {
    await this.agenda
      .create<PurgeData>(PURGE_JOB, data)
      .unique({ 'data.userId': data.userId, 'data.deletionRequestId': data.deletionRequestId }, { insertOnly: true })
      .schedule(at)
      .save();
  }

  /** Removes the user's purge jobs, all of them or those of one request. */
  async cancelPurges(filter: { userId: string; deletionRequestId?: string }): Promise<number> {
    return this.agenda.cancel({ name: PURGE_JOB, data: filter });
  }

  /** Queues a job to run at once, as its schedule would (operators, tests). */
  async runNow(name: string): Promise<void> {
    await this.agenda.now(name);
  }

  /**
   * Clears a failed job's failure and queues it to run at once, with a fresh round of retries, as
   * Agenda leaves a job it has just scheduled. Only if it is still as read: one write, conditional
   * on the lock and failure unchanged, so a job an instance took meanwhile is not run twice (Agenda's
   * own saveJobState would overwrite the lock). `not_failed` for a job in any other state.
   */
  async retryFailed(id: string, by: RetriedBy): Promise<'retried' | 'not_found' | 'not_failed'> {
    await this.agenda.ready;
    const job = await this.agenda.db.getJobById(id);
    if (!job) return 'not_found';
    if (computeJobState(job) !== 'failed') return 'not_failed';
    const { matchedCount } = await this.db
      .collection(JOBS_COLLECTION)
      .updateOne(
        { _id: new Types.ObjectId(id), lockedAt: null, failedAt: job.failedAt },
        { $set: { nextRunAt: new Date(), failedAt: null, failReason: null, failCount: 0, data: { ...dataOf(job), ...by } } },
      );
    return matchedCount === 1 ? 'retried' : 'not_failed';
  }

  async query(options: { name?: string; state: 'running' | 'scheduled' | 'queued' | 'repeating' | 'failed'; limit: number }) {
    const { jobs, total } = await this.agenda.queryJobs({
      state: options.state,
      ...(options.name ? { name: options.name } : {}),
      sort: { nextRunAt: 'asc' },
      limit: options.limit,
    });
    return { jobs, total };
  }

  overview() {
    return this.agenda.getJobsOverview();
  }
}
