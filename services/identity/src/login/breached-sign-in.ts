import { createEvent } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { PasswordPolicy } from '../registration/password-policy';
import type { TokenResponse } from '../sessions/session-issuer';
import type { UserRepository, UserSummary } from '../users/user.repository';

export interface BreachedSignInDeps {
  policy: Pick<PasswordPolicy, 'isExposed'>;
  users: Pick<UserRepository, 'flagBreachedPassword'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  /** BREACHED_PASSWORD_NOTICE_INTERVAL: at most one email per this period. */
  noticeIntervalMs: number;
}

/**
 * After a correct password: whether it is known from breaches. Never refuses the sign-in (the owner
 * is the one who can fix it, and only once in); it flags the account, which the account page shows
 * until the password is changed or reset, and emails the owner at most once per period. Resolves
 * whether the password was found breached now.
 */
export function checkSignInPassword(deps: BreachedSignInDeps) {
  return async (user: UserSummary, password: string, context: RequestContext): Promise<boolean> => {
    if (!(await deps.policy.isExposed(password))) return false;
    const now = deps.clock();
    const email = createEvent('EmailRequested', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { template: 'password-breached', to: user.email, locale: user.locale, userId: user.id, variables: {} },
    });
    // Audited when the owner is told, not on every sign-in: the flag itself is on the account.
    if (await deps.users.flagBreachedPassword(user.id, deps.noticeIntervalMs, [email])) {
      await deps.audit.record({ userId: user.id, action: 'password_breach_detected', outcome: 'success', context });
    }
    return true;
  };
}

/** The tokens of a sign-in, told when the password is known from breaches, so an app can ask for a new one. */
export const flagBreached = (tokens: TokenResponse, breached: boolean): TokenResponse =>
  breached ? { ...tokens, password_breached: true } : tokens;
