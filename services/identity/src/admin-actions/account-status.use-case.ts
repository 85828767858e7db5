import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { ensureNotLastAdmin } from '../admin/last-admin';
import type { AuditLog } from '../audit/audit-log';
import type { SessionRepository } from '../sessions/session.repository';
import type { UserRepository } from '../users/user.repository';
import { recordAdminAction, targetOf, type AdminAction } from './admin-action';

export interface AccountStatusDeps {
  users: Pick<UserRepository, 'findById' | 'setDisabled' | 'otherActiveAdmins'>;
  sessions: Pick<SessionRepository, 'revokeAll'>;
  /** What the OpenID Connect provider holds for the account: its sessions, grants, codes and tokens. */
  oidc: { removeAccount: (userId: string) => Promise<void> };
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

/**
 * Disables an account: its sign-ins are refused (`account_disabled`) from this write on, then every
 * session ends (each with SessionRevoked) and the apps' grants and tokens go.
 */
export function disableAccount(deps: AccountStatusDeps) {
  return async (input: AdminAction & { reason?: string | undefined }): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    await ensureNotLastAdmin(deps.users, user);
    const now = deps.clock();
    const event = createEvent('AccountDisabled', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { userId: user.id, disabledBy: input.adminId },
    });
    if (!(await deps.users.setDisabled(user.id, now, [event]))) throw new AppError('conflict', 'The account is disabled already');
    const sessionsEnded = await deps.sessions.revokeAll(user.id, 'account_disabled');
    await deps.oidc.removeAccount(user.id);
    await recordAdminAction(deps.audit, 'account_disabled', input, { reason: input.reason ?? null, sessionsEnded });
  };
}

export function enableAccount(deps: Pick<AccountStatusDeps, 'users' | 'audit' | 'clock'>) {
  return async (input: AdminAction): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    const now = deps.clock();
    const event = createEvent('AccountEnabled', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { userId: user.id, enabledBy: input.adminId },
    });
    if (!(await deps.users.setDisabled(user.id, null, [event]))) throw new AppError('conflict', 'The account is not disabled');
    await recordAdminAction(deps.audit, 'account_enabled', input);
  };
}
