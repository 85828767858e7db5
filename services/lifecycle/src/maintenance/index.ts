import type { Feature } from '@solar/chassis';
import type { PublishEvents } from '../events/publish-events';
import type { JobScheduler } from '../jobs/job-scheduler';
import { maintenanceJob, maintenanceTasksByJob } from './maintenance.job';
import { monthlyQuotaResetJob } from './monthly-quota-reset.job';

/** The recurring announcements other services act on: maintenance tasks and the monthly quota reset. */
export function maintenanceFeature({ jobs, publish, clock }: { jobs: JobScheduler; publish: PublishEvents; clock: () => Date }): Feature {
  for (const [name, tasks] of Object.entries(maintenanceTasksByJob)) jobs.define(name, maintenanceJob(tasks, { publish, clock }));
  jobs.define('monthly-quota-reset', monthlyQuotaResetJob({ publish, clock }));
  return {};
}
