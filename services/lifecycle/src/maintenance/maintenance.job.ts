import { MaintenanceTasks } from '@solar/contracts';
import { lifecycleEvent, type PublishEvents } from '../events/publish-events';
import type { RecurringJobName } from '../jobs/recurring-jobs';

type Task = (typeof MaintenanceTasks)[keyof typeof MaintenanceTasks];

/** The MaintenanceDue tasks each recurring maintenance job announces; the owning services do the work. */
export const maintenanceTasksByJob = {
  'purge-expired-tokens': [MaintenanceTasks.purgeExpiredTokens, MaintenanceTasks.purgeExpiredSessions],
  'purge-unverified-accounts': [MaintenanceTasks.purgeUnverifiedAccounts],
  'review-inactive-accounts': [MaintenanceTasks.reviewInactiveAccounts],
  'prune-audit-log': [MaintenanceTasks.pruneAuditLog],
  'prune-delivery-records': [MaintenanceTasks.pruneDeliveryRecords],
  'expire-data-exports': [MaintenanceTasks.expireDataExports],
} as const satisfies Partial<Record<RecurringJobName, readonly Task[]>>;

export function maintenanceJob(tasks: readonly Task[], deps: { publish: PublishEvents; clock: () => Date }) {
  return async (): Promise<void> => {
    const now = deps.clock();
    await deps.publish(tasks.map((task) => lifecycleEvent('MaintenanceDue', task, { task }, now)));
  };
}
