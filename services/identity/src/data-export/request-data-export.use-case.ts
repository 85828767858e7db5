import { randomUUID } from 'node:crypto';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { proveFactorsInUse, wrongCode, type ProofDeps } from '../two-factor/second-factor-proof';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { UserRepository } from '../users/user.repository';
import { dataExportRequestedEvent } from './data-export-events';
import type { DataExportRepository } from './data-export.repository';

/** GDPR lets a controller refuse manifestly excessive requests: one export a day is plenty. */
export const EXPORT_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface StartExportDeps {
  exports: Pick<DataExportRepository, 'latestRequestOf' | 'claimWindow' | 'create'>;
  users: Pick<UserRepository, 'findById'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  participants: readonly string[];
  deadlineMs: number;
}

export interface Started {
  exportId: string;
  deadline: Date;
}

/**
 * The caller asks for their data. The password is asked again, and a current code when two-factor is
 * on: a stolen access token alone must not be enough to take a copy of everything.
 */
export function requestDataExport(deps: StartExportDeps & ProofDeps & { twoFactor: Pick<TwoFactorRepository, 'find' | 'spendTimeStep'> }) {
  return async (input: { userId: string; password: string; code?: string | undefined; context: RequestContext }): Promise<Started> => {
    await refuseWithinInterval(deps, input.userId);
    const { account, timeStep } = await proveFactorsInUse(deps, input, 'data_export_requested');
    if (timeStep !== null && !(await deps.twoFactor.spendTimeStep(account.user.id, timeStep))) throw wrongCode();
    return start(deps, account.user, { startedBy: null, context: input.context });
  };
}

/** An admin starts an export for a user (their request through support); the link still goes to the user's address. */
export function startDataExportFor(deps: StartExportDeps) {
  return async (input: { userId: string; adminId: string; context: RequestContext }): Promise<Started> => {
    const user = await deps.users.findById(input.userId);
    if (!user || user.deletion?.purgeStartedAt) throw new AppError('not_found', 'No such user');
    await refuseWithinInterval(deps, user.id);
    return start(deps, user, { startedBy: input.adminId, context: input.context });
  };
}

/** The early refusal, before a password is checked; `start` claims the window for good. */
async function refuseWithinInterval(deps: Pick<StartExportDeps, 'exports' | 'clock'>, userId: string): Promise<void> {
  const latest = await deps.exports.latestRequestOf(userId);
  if (!latest) return;
  const waitMs = latest.getTime() + EXPORT_INTERVAL_MS - deps.clock().getTime();
  if (waitMs > 0) throw limitReached(waitMs);
}

const limitReached = (waitMs: number) =>
  new AppError('export_limit_reached', 'A data export was already made in the last 24 hours', {
    retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
  });

async function start(
  deps: StartExportDeps,
  user: { id: string; email: string },
  by: { startedBy: string | null; context: RequestContext },
): Promise<Started> {
  const requestedAt = deps.clock();
  // A request that passed the early refusal at the same moment as another: only one claims the window.
  if (!(await deps.exports.claimWindow(user.id, requestedAt, new Date(requestedAt.getTime() - EXPORT_INTERVAL_MS)))) {
    await refuseWithinInterval(deps, user.id);
    throw limitReached(EXPORT_INTERVAL_MS);
  }
  const entry = {
    id: randomUUID(),
    userId: user.id,
    startedBy: by.startedBy,
    requestedAt,
    deadline: new Date(requestedAt.getTime() + deps.deadlineMs),
    participants: [...deps.participants],
  };
  await deps.exports.create(entry, [dataExportRequestedEvent(user, entry)]);
  await deps.audit.record({
    userId: user.id,
    action: 'data_export_requested',
    outcome: 'success',
    context: by.context,
    details: { exportId: entry.id, startedBy: by.startedBy ? 'admin' : 'user', ...(by.startedBy ? { adminId: by.startedBy } : {}) },
  });
  return { exportId: entry.id, deadline: entry.deadline };
}
