import { z } from 'zod';

/** Tasks lifecycle schedules today; each consumer acts on the tasks it owns. */
export const MaintenanceTasks = {
  purgeExpiredTokens: 'purge-expired-tokens',
  purgeExpiredSessions: 'purge-expired-sessions',
  pruneDeliveryRecords: 'prune-delivery-records',
  purgeUnverifiedAccounts: 'purge-unverified-accounts',
  reviewInactiveAccounts: 'review-inactive-accounts',
  pruneAuditLog: 'prune-audit-log',
  expireDataExports: 'expire-data-exports',
} as const;

export const MaintenanceDueV1 = z.object({
  // A string rather than an enum: this is a broadcast, so a task added later must reach consumers
  // of v1 as something to ignore, not as a contract violation.
  task: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/)
    .describe('Task name, e.g. purge-expired-tokens; ignore tasks you do not own.'),
});
export type MaintenanceDueV1 = z.output<typeof MaintenanceDueV1>;
