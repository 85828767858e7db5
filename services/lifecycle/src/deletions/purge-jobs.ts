import type { PurgeData } from '../jobs/job-scheduler';

/** What the deletion use cases need from the job scheduler. */
export interface PurgeJobs {
  schedulePurge(data: PurgeData, at: Date): Promise<void>;
  cancelPurges(filter: { userId: string; deletionRequestId?: string }): Promise<number>;
}
