import type { Locale } from '@solar/contracts';
import { twoFactorDisabledEvents } from '../two-factor/two-factor-disabled';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { LoginThrottle } from '../login/login.use-case';
import type { PasswordPolicy } from '../registration/password-policy';
import type { SessionRepository } from '../sessions/session.repository';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { PasswordHasher } from '../users/password-hasher';
import type { UserRepository } from '../users/user.repository';
import { resetCancelledEmail } from '../two-factor/two-factor-reset-emails';
import { passwordChangedEvents } from './password-changed';

export interface ResetPasswordDeps {
  users: Pick<UserRepository, 'redeemToken' | 'voidOutstandingProofs' | 'announce'>;
  sessions: Pick<SessionRepository, 'revokeAll'>;
  twoFactor: Pick<TwoFactorRepository, 'clearOnUnverified'>;
  throttle: Pick<LoginThrottle, 'resetAddress'>;
  hasher: PasswordHasher;
  policy: Pick<PasswordPolicy, 'enforce' | 'enforceOffline'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

const TOKEN_REFUSALS = new Set(['token_malformed', 'token_invalid', 'token_expired', 'token_used']);

/**
 * Sets a new password with an emailed token. The token is spent, the hash set and the change
 * announced in one conditional write, so of concurrent redemptions exactly one changes anything.
 * Every session then ends, and every other reset link, open sign-in challenge and pending two-factor
 * reset with them (one asked for with the old password must not survive it):
 * whoever took over the account is signed out with the rest. On an account whose address is
 * unverified, two-factor is cleared too: it was set up before anyone proved they hold the mailbox,
 * which this reset just did, so it may be a squatter's, who would otherwise keep the owner out with
 * a second factor only they have.
 */
export function resetPassword(deps: ResetPasswordDeps) {
  return async (input: { token: string; newPassword: string; context: RequestContext }): Promise<void> => {
    // The address is not known until the token is looked up: this is every rule but not-your-email,
    // which runs inside the redemption, before anything is written.
    await deps.policy.enforce(input.newPassword, { email: null, field: 'newPassword' });
    const passwordHash = await deps.hasher.hash(input.newPassword);
    const now = deps.clock();
    const user = await deps.users
      .redeemToken('password-reset', input.token, (owner) => {
        deps.policy.enforceOffline(input.newPassword, { email: owner.email, field: 'newPassword' });
        return {
          set: { passwordHash, passwordChangedAt: now, passwordBreachedAt: null },
          events: passwordChangedEvents(owner, 'reset', now),
        };
      })
      .catch(async (error: unknown) => {
        if (error instanceof AppError && TOKEN_REFUSALS.has(error.code)) {
          await deps.audit.record({
            userId: null,
            action: 'password_reset',
            outcome: 'failure',
            context: input.context,
            details: { reason: error.code },
          });
        }
        throw error;
      });
    const { twoFactorResetCancelled } = await deps.users.voidOutstandingProofs(user.id);
    if (twoFactorResetCancelled) await deps.users.announce(user.id, [resetCancelledEmail(user, now)]);
    // After the reset's own write: a crash in between leaves two-factor on, and another reset clears it.
    const twoFactorCleared = user.emailVerifiedAt === null && (await clearSquattedTwoFactor(deps, user, now));
    const revoked = await deps.sessions.revokeAll(user.id, 'password_reset');
    // The owner proved control of the mailbox: a lock built up by someone guessing should not keep them out.
    await deps.throttle.resetAddress(user.email);
    await deps.audit.record({
      userId: user.id,
      action: 'password_reset',
      outcome: 'success',
      context: input.context,
      details: {
        sessionsRevoked: revoked,
        ...(twoFactorCleared ? { twoFactorCleared } : {}),
        ...(twoFactorResetCancelled ? { twoFactorResetCancelled } : {}),
      },
    });
  };
}

function clearSquattedTwoFactor(deps: ResetPasswordDeps, user: { id: string; email: string; locale: Locale }, now: Date): Promise<boolean> {
  return deps.twoFactor.clearOnUnverified(user.id, twoFactorDisabledEvents(user, now));
}
