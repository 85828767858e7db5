import { AppError } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { passwordRefused, type PasswordPolicy } from '../registration/password-policy';
import type { SessionRepository } from '../sessions/session.repository';
import type { UserRepository } from '../users/user.repository';
import { confirmPassword, type ConfirmPasswordDeps } from '../login/confirm-password';
import { resetCancelledEmail } from '../two-factor/two-factor-reset-emails';
import { passwordChangedEvents } from './password-changed';

export interface ChangePasswordDeps extends ConfirmPasswordDeps {
  users: Pick<UserRepository, 'findById' | 'passwordHashOf' | 'replacePassword' | 'voidOutstandingProofs' | 'announce'>;
  sessions: Pick<SessionRepository, 'revokeAll'>;
  policy: Pick<PasswordPolicy, 'enforce'>;
}

/**
 * Changes the password of a signed-in user who knows the current one (a stolen access token alone
 * is not enough). Every other session ends; the caller's stays, since it just proved the password.
 */
export function changePassword(deps: ChangePasswordDeps) {
  return async (input: {
    userId: string;
    sessionId: string;
    currentPassword: string;
    newPassword: string;
    context: RequestContext;
  }): Promise<void> => {
    const [user, currentHash] = await Promise.all([deps.users.findById(input.userId), deps.users.passwordHashOf(input.userId)]);
    if (!user || !currentHash) throw new AppError('unauthorized', 'The account no longer exists');
    // A new password the policy refuses is bad input, answered 400 whatever state the account is in:
    // before the lock (a 423 would hide what is wrong with the request) and before a guess is counted.
    await deps.policy.enforce(input.newPassword, { email: user.email, field: 'newPassword' });

    await confirmPassword(deps, {
      user,
      passwordHash: currentHash,
      password: input.currentPassword,
      context: input.context,
      action: 'password_changed',
    });
    // The current password was just verified, so comparing the strings is enough.
    if (input.newPassword === input.currentPassword) throw passwordRefused('newPassword', 'must differ from the current password');

    const now = deps.clock();
    const passwordHash = await deps.hasher.hash(input.newPassword);
    if (!(await deps.users.replacePassword(user.id, currentHash, passwordHash, passwordChangedEvents(user, 'change', now)))) {
      throw new AppError('conflict', 'The password was changed by another request meanwhile; sign in again');
    }
    // Reset links, sign-in challenges and a pending two-factor reset from before the change would otherwise outlive it.
    const { twoFactorResetCancelled } = await deps.users.voidOutstandingProofs(user.id);
    if (twoFactorResetCancelled) await deps.users.announce(user.id, [resetCancelledEmail(user, now)]);
    const revoked = await deps.sessions.revokeAll(user.id, 'password_changed', input.sessionId);
    await deps.audit.record({
      userId: user.id,
      action: 'password_changed',
      outcome: 'success',
      context: input.context,
      details: { sessionsRevoked: revoked, ...(twoFactorResetCancelled ? { twoFactorResetCancelled } : {}) },
    });
  };
}
