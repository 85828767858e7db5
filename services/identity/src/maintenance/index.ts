import { MaintenanceTasks } from '@solar/contracts';
import type { Feature } from '@solar/chassis';
import type { purgeAccount } from '../deletion/purge-account.use-case';
import { cancelLinkOf } from '../deletion/pending-deletion';
import type { IdentityContext } from '../identity-context';
import { maintenanceDueHandler, type MaintenanceTask } from './maintenance-due.consumer';
import { pruneAuditLog } from './prune-audit-log.use-case';
import { purgeExpiredSessions } from './purge-expired-sessions.use-case';
import { purgeExpiredTokens } from './purge-expired-tokens.use-case';
import { purgeUnverifiedAccounts } from './purge-unverified-accounts.use-case';
import { reviewInactiveAccounts } from './review-inactive-accounts.use-case';

/** Accounts a maintenance task works on at once: keeps the database busy without flooding its pool. */
const MAINTENANCE_CONCURRENCY = 8;

/** The tasks identity owns, run when lifecycle's MaintenanceDue names them. */
export function maintenanceFeature(
  ctx: Pick<
    IdentityContext,
    'config' | 'users' | 'sessions' | 'throttle' | 'audit' | 'processedEvents' | 'models' | 'passkeyChallenges' | 'clock' | 'logger'
  > & {
    purge: ReturnType<typeof purgeAccount>;
    /** Aborted when identity stops: a task stops between pages and resumes on redelivery. */
    stopping: AbortSignal;
    /** Tasks other features own (the data export's deadline and purge). */
    tasks: Readonly<Record<string, MaintenanceTask>>;
  },
): Feature {
  const { config, users, sessions, audit, clock } = ctx;
  const batch = { batchSize: config.MAINTENANCE_BATCH_SIZE, concurrency: MAINTENANCE_CONCURRENCY };
  const tasks = {
    ...ctx.tasks,
    [MaintenanceTasks.purgeExpiredTokens]: purgeExpiredTokens({ users, clock, ...batch }),
    [MaintenanceTasks.purgeExpiredSessions]: purgeExpiredSessions({
      sessions,
      throttles: ctx.throttle,
      processedEvents: ctx.processedEvents,
      oidcModels: ctx.models,
      passkeyChallenges: ctx.passkeyChallenges,
      clock,
      throttleIdleMs: config.LOGIN_FAILURE_WINDOW + config.LOGIN_LOCK_MAX,
      processedEventsRetentionMs: config.PROCESSED_EVENTS_RETENTION,
      ...batch,
    }),
    [MaintenanceTasks.purgeUnverifiedAccounts]: purgeUnverifiedAccounts({
      users,
      purge: ctx.purge,
      clock,
      maxAgeMs: config.UNVERIFIED_ACCOUNT_MAX_AGE,
      ...batch,
    }),
    [MaintenanceTasks.reviewInactiveAccounts]: reviewInactiveAccounts({
      users,
      sessions,
      audit,
      clock,
      inactiveAfterMs: config.INACTIVE_ACCOUNT_AFTER,
      warningMs: config.INACTIVE_ACCOUNT_WARNING_PERIOD,
      graceMs: config.DELETION_GRACE_PERIOD,
      signInLink: new URL('/login', config.APP_URL).toString(),
      cancelLink: cancelLinkOf(config.APP_URL),
      ...batch,
    }),
    [MaintenanceTasks.pruneAuditLog]: pruneAuditLog({ audit, clock, retentionMs: config.AUDIT_LOG_RETENTION, ...batch }),
  };
  return { handlers: [maintenanceDueHandler(tasks, ctx.logger, ctx.stopping)] };
}
