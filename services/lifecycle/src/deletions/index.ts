import type { Feature } from '@solar/chassis';
import type { PublishEvents } from '../events/publish-events';
import { PURGE_JOB, type JobScheduler, type PurgeData } from '../jobs/job-scheduler';
import { deletionEventsHandler } from './deletion-events.consumer';
import { deletionSweepJob, gracePeriodExpiredJob } from './grace-period-expired.job';
import type { PendingDeletionRepository } from './pending-deletion.repository';
import { deletionCancelled, deletionRequested, userDeleted } from './track-deletions.use-case';

/** Grace periods: tracked from identity's deletion events, ended by a purge job (and the sweep that catches missed ones). */
export function deletionsFeature(deps: {
  deletions: PendingDeletionRepository;
  jobs: JobScheduler;
  publish: PublishEvents;
  clock: () => Date;
}): Feature {
  const { deletions, jobs, publish, clock } = deps;
  jobs.define<PurgeData>(PURGE_JOB, gracePeriodExpiredJob({ deletions, publish, clock }));
  jobs.define('deletion-sweep', deletionSweepJob({ deletions, publish, clock }));
  const tracking = { deletions, jobs, clock };
  return {
    handlers: [
      deletionEventsHandler({
        deletionRequested: deletionRequested(tracking),
        deletionCancelled: deletionCancelled(tracking),
        userDeleted: userDeleted(tracking),
      }),
    ],
  };
}
