import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { refuseWhileLocked } from '../login/confirm-password';
import type { LoginThrottle } from '../login/login.use-case';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { UserRepository } from '../users/user.repository';
import { MFA_MAX_ATTEMPTS, challengeCaptcha, challengeClosed, resolveChallenge } from './login-second-factor.use-case';
import type { TwoFactorRepository } from './two-factor.repository';

export interface RequestTwoFactorResetDeps {
  twoFactor: Pick<TwoFactorRepository, 'findByChallenge' | 'spendChallenge'>;
  users: Pick<UserRepository, 'addToken'>;
  throttle: Pick<LoginThrottle, 'stateOf'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  link: { ttlMs: number; appUrl: string };
}

/**
 * For an owner who lost the authenticator and the recovery codes: at the second step of signing in,
 * instead of a code, a link to the verified address that confirms a two-factor reset. The mfa_token
 * is the proof of the password (so the sign-in lock applies, and bad tokens count towards it) and is
 * spent here, so each correct password sends at most one link. The link alone changes nothing: it
 * starts a delay (see confirmTwoFactorReset) the owner's signed-in sessions can cancel.
 */
export function requestTwoFactorReset(deps: RequestTwoFactorResetDeps) {
  return async (input: { mfaToken: string; context: RequestContext }): Promise<void> => {
    const now = deps.clock();
    const { user, hash, challenge } = await resolveChallenge(deps, input, now);
    await refuseWhileLocked(deps.throttle, { email: user.email, ip: input.context.ip }, now, challengeCaptcha(challenge));
    // Two-factor on an unverified address may be a squatter's: the owner's way out is a password
    // reset from the mailbox, which clears it (finding 2), not a link to an address nobody proved.
    if (!user.emailVerifiedAt) {
      throw new AppError('email_not_verified', 'The address is not verified: reset the password by email instead, which clears two-factor');
    }
    if (!(await deps.twoFactor.spendChallenge(user.id, hash, now, MFA_MAX_ATTEMPTS))) return challengeClosed(deps, user, input.context);

    const token = issueOneTimeToken(now, deps.link.ttlMs);
    // The page of the web app takes the token from the query and POSTs it in a body (finding 12).
    const link = new URL('/two-factor-reset', deps.link.appUrl);
    link.searchParams.set('token', token.value);
    await deps.users.addToken(
      user.id,
      { hash: token.hash, purpose: 'two-factor-reset', expiresAt: token.expiresAt, usedAt: null, createdAt: now },
      [
        createEvent('EmailRequested', {
          source: '/identity',
          subject: user.id,
          time: now,
          data: {
            template: 'two-factor-reset-requested',
            to: user.email,
            locale: user.locale,
            userId: user.id,
            variables: { link: link.toString(), expiresAt: token.expiresAt.toISOString() },
          },
        }),
      ],
    );
    await deps.audit.record({ userId: user.id, action: 'two_factor_reset_requested', outcome: 'success', context: input.context });
  };
}
