import type { PurgeData } from '../jobs/job-scheduler';
import { lifecycleEvent, type PublishEvents } from '../events/publish-events';
import type { PendingDeletionRepository } from './pending-deletion.repository';

interface Deps {
  deletions: PendingDeletionRepository;
  publish: PublishEvents;
  clock: () => Date;
}

/**
 * The purge job: tells identity the grace period of this request has ended. A request closed since
 * the job was made (a cancellation whose job removal was missed) publishes nothing.
 */
export function gracePeriodExpiredJob(deps: Deps) {
  return async (data: PurgeData): Promise<void> => {
    const pending = await deps.deletions.findPending(data.deletionRequestId);
    if (!pending) return;
    const now = deps.clock();
    await deps.publish([lifecycleEvent('DeletionGracePeriodExpired', pending.userId, pending, now)]);
    await deps.deletions.recordPublished([pending.deletionRequestId], now);
  };
}

const SWEEP_BATCH = 500;

/**
 * Safety net: every request past its purgeAt that identity has not confirmed (no UserDeleted yet) is
 * published again, whether its job was lost, failed for good, or its event went astray.
 */
export function deletionSweepJob(deps: Deps) {
  return async (): Promise<void> => {
    const started = deps.clock();
    for (;;) {
      const due = await deps.deletions.findOverdue(started, started, SWEEP_BATCH);
      if (due.length === 0) return;
      const now = deps.clock();
      await deps.publish(due.map((deletion) => lifecycleEvent('DeletionGracePeriodExpired', deletion.userId, deletion, now)));
      await deps.deletions.recordPublished(
        due.map((deletion) => deletion.deletionRequestId),
        started,
      );
    }
  };
}
