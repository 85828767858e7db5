import type { AdminJob, AdminJobsResponse } from '@solar/contracts';
import type { JobScheduler } from '../jobs/job-scheduler';

type Scheduler = Pick<JobScheduler, 'query' | 'overview'>;
type JobRow = Awaited<ReturnType<JobScheduler['query']>>['jobs'][number];
type View = 'upcoming' | 'running' | 'failed';

const STATES = { upcoming: ['repeating', 'scheduled', 'queued'], running: ['running'], failed: ['failed'] } as const;
const ERROR_LENGTH = 300;

/** Upcoming, running and failed jobs for operators, with per-name totals; never a job's data. */
export function listJobs(deps: { scheduler: Scheduler }) {
  return async (input: { state?: View; name?: string; limit: number }): Promise<AdminJobsResponse> => {
    const overview = await deps.scheduler.overview();
    const response: AdminJobsResponse = {
      summary: overview.map((row) => ({
        name: row.name,
        upcoming: row.repeating + row.scheduled + row.queued,
        running: row.running,
        failed: row.failed,
        completed: row.completed,
      })),
    };
    for (const view of input.state ? [input.state] : (['upcoming', 'running', 'failed'] as const)) {
      const jobs: AdminJob[] = [];
      for (const state of STATES[view]) {
        if (jobs.length >= input.limit) break;
        const page = await deps.scheduler.query({ state, limit: input.limit - jobs.length, ...(input.name ? { name: input.name } : {}) });
        jobs.push(...page.jobs.map(toAdminJob));
      }
      response[view] = jobs;
    }
    return response;
  };
}

const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);

function toAdminJob(job: JobRow): AdminJob {
  return {
    id: String(job._id),
    name: job.name,
    state: job.disabled ? 'paused' : job.state,
    schedule: typeof job.repeatInterval === 'string' ? job.repeatInterval : null,
    nextRunAt: iso(job.nextRunAt),
    lastRunAt: iso(job.lastRunAt),
    lastFinishedAt: iso(job.lastFinishedAt),
    failures: job.failCount ?? 0,
    failedAt: iso(job.failedAt),
    // Job errors are ours (Kafka, Mongo) and name no user; truncated all the same.
    lastError: job.failReason ? job.failReason.slice(0, ERROR_LENGTH) : null,
    ...retryOf(job.data),
  };
}

/** The admin's retry kept in the job's data (retry-job), and nothing else of the data (user ids). */
function retryOf(data: unknown): Pick<AdminJob, 'retriedBy' | 'retriedAt'> {
  const { retriedBy, retriedAt } = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return {
    retriedBy: typeof retriedBy === 'string' ? retriedBy : null,
    retriedAt: retriedAt instanceof Date ? retriedAt.toISOString() : null,
  };
}
