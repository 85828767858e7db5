import { randomBytes } from 'node:crypto';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { LoginThrottle } from '../login/login.use-case';
import type { SessionRepository } from '../sessions/session.repository';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { PasswordHasher } from '../users/password-hasher';
import type { UserRepository } from '../users/user.repository';
import { resetLinkEmail } from '../password/reset-link-email';
import { emailChangedEvent } from './email-change-events';
import { auditTokenRefusal } from './token-refusal';

export interface UndoEmailChangeDeps {
  users: Pick<UserRepository, 'redeemToken' | 'voidOutstandingProofs' | 'addToken'>;
  sessions: Pick<SessionRepository, 'revokeAll'>;
  throttle: Pick<LoginThrottle, 'resetAddress'>;
  hasher: PasswordHasher;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  reset: { ttlMs: number; linkBase: string };
}

/**
 * Restores the address an email change left, from the link sent to it. Whoever changed it had the
 * password, so the password goes too: it is replaced by one nobody knows, in the same write as the
 * address, and a reset link goes to the restored address. Every session ends, and every outstanding
 * link and challenge with them.
 */
export function undoEmailChange(deps: UndoEmailChangeDeps) {
  return async (input: { token: string; context: RequestContext }): Promise<void> => {
    const now = deps.clock();
    const unknowable = await deps.hasher.hash(randomBytes(32).toString('base64url'));
    const user = await deps.users
      .redeemToken('email-change-undo', input.token, (owner, token) => {
        if (!token.email) throw new AppError('token_invalid', 'The token is not valid');
        return {
          set: { email: token.email, emailVerifiedAt: now, passwordHash: unknowable, passwordChangedAt: now },
          events: [emailChangedEvent(owner.id, owner.email, token.email, 'undo', now)],
        };
      })
      .catch(auditTokenRefusal(deps.audit, 'email_change_undone', input.context));

    await deps.users.voidOutstandingProofs(user.id);
    const revoked = await deps.sessions.revokeAll(user.id, 'email_change_undone');
    await deps.throttle.resetAddress(user.email);
    const reset = issueOneTimeToken(now, deps.reset.ttlMs);
    await deps.users.addToken(
      user.id,
      { hash: reset.hash, purpose: 'password-reset', expiresAt: reset.expiresAt, usedAt: null, createdAt: now },
      [resetLinkEmail(user, reset, deps.reset.linkBase, now)],
    );
    await deps.audit.record({
      userId: user.id,
      action: 'email_change_undone',
      outcome: 'success',
      context: input.context,
      details: { sessionsRevoked: revoked },
    });
  };
}
