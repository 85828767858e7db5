import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { LoginThrottle } from '../login/login.use-case';
import type { SessionRepository } from '../sessions/session.repository';
import { twoFactorDisabledEvents } from '../two-factor/two-factor-disabled';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { UserRepository } from '../users/user.repository';
import { recordAdminAction, targetOf, type AdminAction } from './admin-action';

interface SupportDeps {
  users: Pick<UserRepository, 'findById'>;
  audit: Pick<AuditLog, 'record'>;
}

/** Clears the sign-in lockout and failure counts of the account's address, from every client. */
export function unlockAccount(deps: SupportDeps & { throttle: Pick<LoginThrottle, 'resetAddress'> }) {
  return async (input: AdminAction): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    await deps.throttle.resetAddress(user.email);
    await recordAdminAction(deps.audit, 'account_unlocked', input);
  };
}

/**
 * Turns two-factor off without a code, for an owner who lost the authenticator and the recovery
 * codes and proved who they are to support; the owner is emailed that support did it.
 */
export function resetTwoFactor(deps: SupportDeps & { twoFactor: Pick<TwoFactorRepository, 'resetByAdmin'>; clock: () => Date }) {
  return async (input: AdminAction): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    const events = twoFactorDisabledEvents(user, deps.clock(), 'two-factor-reset-by-admin');
    if (!(await deps.twoFactor.resetByAdmin(user.id, events))) throw new AppError('conflict', 'Two-factor authentication is not on');
    await recordAdminAction(deps.audit, 'two_factor_reset_by_admin', input);
  };
}

/** Ends every session of the account (each with SessionRevoked), and what apps signed in through them. */
export function endSessions(deps: SupportDeps & { sessions: Pick<SessionRepository, 'revokeAll'> }) {
  return async (input: AdminAction): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    const sessionsEnded = await deps.sessions.revokeAll(user.id, 'revoked_by_admin');
    await recordAdminAction(deps.audit, 'sessions_ended_by_admin', input, { sessionsEnded });
  };
}
