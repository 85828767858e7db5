import { randomUUID } from 'node:crypto';
import { createEvent } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { issueOneTimeToken, type StoredToken } from '../tokens/one-time-token';
import type { UserRepository } from '../users/user.repository';
import { resetLinkEmail } from './reset-link-email';

export interface RequestPasswordResetDeps {
  users: Pick<UserRepository, 'findByEmail' | 'addToken'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  reset: { ttlMs: number; linkBase: string };
}

/**
 * Emails a reset link to the owner of a known address. The caller learns nothing either way: the
 * route answers the same, and an unknown address costs the same work (a token is made, and the
 * same three database round trips happen: lookup, token write, audit entry).
 */
export function requestPasswordReset(deps: RequestPasswordResetDeps) {
  return async (input: { email: string; context: RequestContext }): Promise<void> => {
    const now = deps.clock();
    const user = await deps.users.findByEmail(input.email);
    const token = issueOneTimeToken(now, deps.reset.ttlMs);
    const stored: StoredToken = { hash: token.hash, purpose: 'password-reset', expiresAt: token.expiresAt, usedAt: null, createdAt: now };
    const requested = (userId?: string) =>
      createEvent('PasswordResetRequested', {
        source: '/identity',
        subject: userId ?? input.email,
        time: now,
        data: { email: input.email, ...(userId ? { userId } : {}), ip: input.context.ip, userAgent: input.context.userAgent },
      });

    if (!user) {
      // An update that matches no document: the same round trip as storing a real token.
      await deps.users.addToken(randomUUID(), stored, []);
      await deps.audit.record(
        {
          userId: null,
          action: 'password_reset_requested',
          outcome: 'failure',
          context: input.context,
          details: { reason: 'unknown_user', email: input.email },
        },
        [requested()],
      );
      return;
    }

    await deps.users.addToken(user.id, stored, [resetLinkEmail(user, token, deps.reset.linkBase, now)]);
    await deps.audit.record({ userId: user.id, action: 'password_reset_requested', outcome: 'success', context: input.context }, [
      requested(user.id),
    ]);
  };
}
