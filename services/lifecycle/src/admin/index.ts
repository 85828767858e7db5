import type { RequestHandler } from 'express';
import type { Feature, Logger } from '@solar/chassis';
import type { JobScheduler } from '../jobs/job-scheduler';
import { adminJobsRoutes } from './admin-jobs.routes';
import { listJobs } from './list-jobs.use-case';
import { retryJob } from './retry-job.use-case';

export function adminFeature(deps: {
  jobs: JobScheduler;
  requireAdmin: RequestHandler;
  requireRecentAdmin: RequestHandler;
  clock: () => Date;
  logger: Logger;
}): Feature {
  const { jobs, clock, logger } = deps;
  return {
    routes: (app) =>
      adminJobsRoutes(app, {
        listJobs: listJobs({ scheduler: jobs }),
        retryJob: retryJob({ scheduler: jobs, clock, logger }),
        requireAdmin: deps.requireAdmin,
        requireRecentAdmin: deps.requireRecentAdmin,
      }),
  };
}
