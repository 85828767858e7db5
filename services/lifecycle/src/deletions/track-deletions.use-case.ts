import type { EventData } from '@solar/contracts';
import type { PendingDeletionRepository } from './pending-deletion.repository';
import type { PurgeJobs } from './purge-jobs';

interface Deps {
  deletions: PendingDeletionRepository;
  jobs: PurgeJobs;
  clock: () => Date;
}

/**
 * DeletionRequested → one purge job at purgeAt. A redelivered or repeated request finds its record
 * (closed, or pending with its job already made), so it never makes a second job.
 */
export function deletionRequested(deps: Deps) {
  return async (data: EventData<'DeletionRequested'>): Promise<void> => {
    const now = deps.clock();
    const status = await deps.deletions.recordRequested({
      deletionRequestId: data.deletionRequestId,
      userId: data.userId,
      purgeAt: new Date(data.purgeAt),
      now,
    });
    if (status !== 'pending') return;
    // One job per user: an older request still pending is replaced (identity purges only for the current one).
    for (const older of await deps.deletions.supersedeOthers(data.userId, data.deletionRequestId, now)) {
      await deps.jobs.cancelPurges({ userId: data.userId, deletionRequestId: older });
    }
    await deps.jobs.schedulePurge({ userId: data.userId, deletionRequestId: data.deletionRequestId }, new Date(data.purgeAt));
  };
}

/** DeletionCancelled → the request is closed and its job removed: nothing is ever published for it. */
export function deletionCancelled(deps: Deps) {
  return async (data: EventData<'DeletionCancelled'>): Promise<void> => {
    await deps.deletions.close(data.deletionRequestId, 'cancelled', deps.clock());
    await deps.jobs.cancelPurges({ userId: data.userId, deletionRequestId: data.deletionRequestId });
  };
}

/** UserDeleted → the request is done, and lifecycle forgets the user: its jobs (run or not) go too. */
export function userDeleted(deps: Deps) {
  return async (data: EventData<'UserDeleted'>): Promise<void> => {
    await deps.deletions.close(data.deletionRequestId, 'done', deps.clock());
    await deps.jobs.cancelPurges({ userId: data.userId });
  };
}
