import { AppError, type Logger } from '@solar/chassis';
import type { JobScheduler } from '../jobs/job-scheduler';

/**
 * Runs a failed job again now, for an admin. Lifecycle has no audit log of its own (identity's is
 * per account, and a job is no account's): the retry is a log line naming the admin, and stays on
 * the job (retriedBy, retriedAt) for the jobs page to show.
 */
export function retryJob(deps: { scheduler: Pick<JobScheduler, 'retryFailed'>; clock: () => Date; logger: Logger }) {
  return async (input: { jobId: string; adminId: string }): Promise<void> => {
    const outcome = await deps.scheduler.retryFailed(input.jobId, { retriedBy: input.adminId, retriedAt: deps.clock() });
    if (outcome === 'not_found') throw new AppError('not_found', 'No job has this id');
    if (outcome === 'not_failed')
      throw new AppError('job_not_failed', 'Only a failed job can be retried: this one is scheduled, running or done');
    deps.logger.info({ jobId: input.jobId, adminId: input.adminId }, 'failed job retried by an admin');
  };
}
