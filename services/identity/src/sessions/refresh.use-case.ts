import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { TOKEN_PATTERN, hashToken, issueOneTimeToken } from '../tokens/one-time-token';
import { accountDisabled } from '../users/account-disabled';
import type { UserRepository } from '../users/user.repository';
import type { SessionIssuer, TokenResponse } from './session-issuer';
import type { SessionLifetime, SessionRepository } from './session.repository';

export interface RefreshDeps {
  sessions: Pick<SessionRepository, 'rotate' | 'findByRotatedToken' | 'revoke'>;
  users: Pick<UserRepository, 'findById'>;
  issuer: Pick<SessionIssuer, 'tokens'>;
  audit: Pick<AuditLog, 'record'>;
  lifetime: SessionLifetime;
  /** How long the token a rotation spent may come back without counting as theft (REFRESH_REUSE_GRACE). */
  reuseGraceMs: number;
  clock: () => Date;
}

const refused = () => new AppError('unauthorized', 'The refresh token is invalid, expired or revoked');

/**
 * Trades a refresh token for a new pair; the old one is spent. The session lives on for the idle
 * timeout, but never past its maximum age from sign-in. A spent token presented again means
 * two parties hold the family (one of them a thief), so the whole family is revoked and the reuse
 * published. The one exception is the token the last rotation spent, within the reuse grace: racing
 * refreshes of one client (two tabs, a retried request) present it too, and revoking would also end
 * the winner's new tokens. They get a conflict and keep the session; the winner's pair is the live one.
 */
export function refresh(deps: RefreshDeps) {
  return async (input: { refreshToken: string; context: RequestContext }): Promise<TokenResponse> => {
    if (!TOKEN_PATTERN.test(input.refreshToken)) throw refused();
    const now = deps.clock();
    const presented = hashToken(input.refreshToken);
    // The token's own expiry is not used: the session's deadline is worked out from its age.
    const next = issueOneTimeToken(now, deps.lifetime.idleMs);
    const session = await deps.sessions.rotate(presented, next.hash, deps.lifetime, input.context);
    if (session) {
      const user = await deps.users.findById(session.userId);
      if (!user) throw refused();
      // Disabling ends every session; one opened in the same instant ends here, at its first refresh.
      if (user.disabled) throw accountDisabled();
      return deps.issuer.tokens(user, session.id, next.value);
    }
    const family = await deps.sessions.findByRotatedToken(presented);
    if (family?.rotatedAt && now.getTime() - family.rotatedAt.getTime() < deps.reuseGraceMs) {
      throw new AppError('conflict', 'The refresh token was just exchanged: use the tokens that exchange answered');
    }
    if (family) await revokeFamily(deps, family.id, family.userId, input.context, now);
    throw refused();
  };
}

async function revokeFamily(deps: RefreshDeps, sessionId: string, userId: string, context: RequestContext, now: Date): Promise<void> {
  const event = createEvent('RefreshTokenReused', {
    source: '/identity',
    subject: userId,
    time: now,
    data: { userId, sessionId, ip: context.ip, userAgent: context.userAgent },
  });
  if (await deps.sessions.revoke(sessionId, userId, 'refresh_token_reused', [event])) {
    await deps.audit.record({ userId, action: 'refresh_token_reused', outcome: 'failure', context, details: { sessionId } });
  }
}
