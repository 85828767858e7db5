import type { RequestHandler } from 'express';
import type { Feature } from '@solar/chassis';
import type { PublishEvents } from '../events/publish-events';
import type { JobScheduler } from '../jobs/job-scheduler';
import { countEvent } from './count-event.use-case';
import { dailyReportJob } from './daily-report.job';
import { dailyReportRoutes } from './daily-report.routes';
import type { ReportRepository } from './report.repository';

/** Counts the day's events as they come, publishes the daily report, and serves it to admins. */
export function reportsFeature(deps: {
  reports: ReportRepository;
  jobs: JobScheduler;
  publish: PublishEvents;
  clock: () => Date;
  requireAdmin: RequestHandler;
}): Feature {
  const { reports, requireAdmin } = deps;
  deps.jobs.define('daily-report', dailyReportJob({ reports, publish: deps.publish, clock: deps.clock }));
  return {
    handlers: [countEvent({ reports })],
    routes: (app) => dailyReportRoutes(app, { reports, requireAdmin }),
  };
}
