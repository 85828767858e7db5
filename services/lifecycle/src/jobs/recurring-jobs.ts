import { z } from 'zod';
import { booleanFlag } from '@solar/chassis';

// Five fields (minute to weekday) or six (seconds first), as Agenda's cron parser reads them.
const CRON = /^[0-9*/,?LW#A-Za-z-]+(\s+[0-9*/,?LW#A-Za-z-]+){4,5}$/;
const cron = (fallback: string) => z.string().trim().regex(CRON, 'must be a cron expression such as "0 2 * * *" (UTC)').default(fallback);

/** Each recurring job's schedule (cron, UTC) and switch, spread into LifecycleConfig. */
export const recurringJobsConfigShape = {
  /** Safety net: publishes again every deletion past its purgeAt that identity has not confirmed. */
  JOB_DELETION_SWEEP_CRON: cron('0 2 * * *'),
  JOB_DELETION_SWEEP_ENABLED: booleanFlag(true),
  /** MaintenanceDue purge-expired-tokens and purge-expired-sessions. */
  JOB_PURGE_EXPIRED_TOKENS_CRON: cron('0 * * * *'),
  JOB_PURGE_EXPIRED_TOKENS_ENABLED: booleanFlag(true),
  JOB_PURGE_UNVERIFIED_ACCOUNTS_CRON: cron('30 2 * * *'),
  JOB_PURGE_UNVERIFIED_ACCOUNTS_ENABLED: booleanFlag(true),
  JOB_REVIEW_INACTIVE_ACCOUNTS_CRON: cron('0 3 * * *'),
  JOB_REVIEW_INACTIVE_ACCOUNTS_ENABLED: booleanFlag(false),
  JOB_PRUNE_AUDIT_LOG_CRON: cron('30 3 * * *'),
  JOB_PRUNE_AUDIT_LOG_ENABLED: booleanFlag(true),
  JOB_PRUNE_DELIVERY_RECORDS_CRON: cron('0 4 * * *'),
  JOB_PRUNE_DELIVERY_RECORDS_ENABLED: booleanFlag(true),
  /** MaintenanceDue expire-data-exports: fails exports past their deadline and deletes archives past their link. */
  JOB_EXPIRE_DATA_EXPORTS_CRON: cron('*/5 * * * *'),
  JOB_EXPIRE_DATA_EXPORTS_ENABLED: booleanFlag(true),
  /** MonthlyQuotaResetDue for the month that starts. */
  JOB_MONTHLY_QUOTA_RESET_CRON: cron('0 0 1 * *'),
  JOB_MONTHLY_QUOTA_RESET_ENABLED: booleanFlag(true),
  /** Counts the previous UTC day; runs after midnight so late events of that day are in. */
  JOB_DAILY_REPORT_CRON: cron('10 0 * * *'),
  JOB_DAILY_REPORT_ENABLED: booleanFlag(true),
};

type Shape = typeof recurringJobsConfigShape;
type RecurringConfig = { [K in keyof Shape]: z.output<Shape[K]> };

const recurringJobNames = [
  'deletion-sweep',
  'purge-expired-tokens',
  'purge-unverified-accounts',
  'review-inactive-accounts',
  'prune-audit-log',
  'prune-delivery-records',
  'expire-data-exports',
  'monthly-quota-reset',
  'daily-report',
] as const;
export type RecurringJobName = (typeof recurringJobNames)[number];

export interface RecurringSchedule {
  name: RecurringJobName;
  cron: string;
  enabled: boolean;
}

/** deletion-sweep → JOB_DELETION_SWEEP_CRON / _ENABLED */
export function recurringSchedules(config: RecurringConfig): RecurringSchedule[] {
  return recurringJobNames.map((name) => {
    const prefix = `JOB_${name.toUpperCase().replace(/-/g, '_')}`;
    return {
      name,
      cron: config[`${prefix}_CRON` as keyof RecurringConfig] as string,
      enabled: config[`${prefix}_ENABLED` as keyof RecurringConfig] as boolean,
    };
  });
}
