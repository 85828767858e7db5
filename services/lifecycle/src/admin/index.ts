import type { RequestHandler } from 'express';
import type { Feature } from '@solar/chassis';
import type { JobScheduler } from '../jobs/job-scheduler';
import { adminJobsRoutes } from './admin-jobs.routes';
import { listJobs } from './list-jobs.use-case';

export function adminFeature({ jobs, requireAdmin }: { jobs: JobScheduler; requireAdmin: RequestHandler }): Feature {
  return { routes: (app) => adminJobsRoutes(app, { listJobs: listJobs({ scheduler: jobs }), requireAdmin }) };
}
