import { AppError, type Sealer } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { flagBreached } from '../login/breached-sign-in';
import { announceLock, recordLoginFailure, type LoginThrottle } from '../login/login.use-case';
import type { Factor, SessionIssuer, TokenResponse } from '../sessions/session-issuer';
import { TOKEN_PATTERN, hashToken } from '../tokens/one-time-token';
import type { UserRepository } from '../users/user.repository';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes';
import { openSecret, sealSecret } from './sealed-secret';
import { refuseWhileLocked } from '../login/confirm-password';
import { wrongCode } from './second-factor-proof';
import { matchTotp } from './totp';
import type { MfaChallenge } from './two-factor.model';
import type { ChallengedAccount, TwoFactorRepository } from './two-factor.repository';

/** Codes one challenge may take, the right one included. */
export const MFA_MAX_ATTEMPTS = 5;

export interface LoginSecondFactorDeps {
  twoFactor: Pick<TwoFactorRepository, 'findByChallenge' | 'takeAttempt' | 'passWithTotp' | 'passWithRecoveryCode'>;
  users: Pick<UserRepository, 'announce'>;
  sealer: Sealer;
  throttle: LoginThrottle;
  audit: Pick<AuditLog, 'record'>;
  sessions: Pick<SessionIssuer, 'open'>;
  clock: () => Date;
}

const MFA_TOKEN_MESSAGES = {
  token_malformed: 'The mfa_token is not in the format we issue',
  token_invalid: 'The mfa_token is not valid; sign in again',
  token_expired: 'The mfa_token has expired; sign in again',
  token_used: 'The mfa_token has been used or has taken too many wrong codes; sign in again',
} as const;

/**
 * The open challenge an mfa_token names, or the refusal it gets: a LoginFailed and its audit entry
 * (bad tokens count like failed sign-ins), then the token_* problem. Shared by the second step of
 * signing in and by asking for a two-factor reset instead.
 */
export async function resolveChallenge(
  deps: { twoFactor: Pick<TwoFactorRepository, 'findByChallenge'>; audit: LoginSecondFactorDeps['audit'] },
  input: { mfaToken: string; context: RequestContext },
  now: Date,
): Promise<ChallengedAccount & { hash: string; challenge: MfaChallenge }> {
  const refuseToken = async (code: keyof typeof MFA_TOKEN_MESSAGES, user: Parameters<typeof recordLoginFailure>[2]): Promise<never> => {
    await recordLoginFailure(deps, { ...(user ? { email: user.email } : {}), context: input.context }, user, 'invalid_mfa_token', 0);
    throw new AppError(code, MFA_TOKEN_MESSAGES[code]);
  };
  if (!TOKEN_PATTERN.test(input.mfaToken)) return refuseToken('token_malformed', null);
  const hash = hashToken(input.mfaToken);
  const found = await deps.twoFactor.findByChallenge(hash);
  // An account whose purge has begun is as good as gone, and so are its challenges.
  if (!found?.challenge || found.user.deletion?.purgeStartedAt) return refuseToken('token_invalid', null);
  const { user, challenge } = found;
  if (challenge.usedAt || challenge.attempts >= MFA_MAX_ATTEMPTS) return refuseToken('token_used', user);
  if (challenge.expiresAt.getTime() <= now.getTime()) return refuseToken('token_expired', user);
  return { ...found, hash, challenge };
}

/**
 * Past the address-wide failure count, a challenge goes on only if its password step came with a
 * solved CAPTCHA: the second step and asking for a two-factor reset both answer to the same lock.
 */
export const challengeCaptcha = (challenge: MfaChallenge) => ({
  captcha:
    'Too many failed sign-ins for this address from many places: sign in again with a CAPTCHA (captchaToken), or try again once the window ends (Retry-After)',
  captchaSolved: challenge.captchaSolved === true,
});

/** A challenge closed between resolveChallenge and the write that needed it open. */
export async function challengeClosed(
  deps: Pick<LoginSecondFactorDeps, 'audit'>,
  user: ChallengedAccount['user'],
  context: RequestContext,
): Promise<never> {
  await recordLoginFailure(deps, { email: user.email, context }, user, 'invalid_mfa_token', 0);
  throw new AppError('token_used', MFA_TOKEN_MESSAGES.token_used);
}

/**
 * The second step of signing in: the mfa_token from a correct password plus a TOTP code or a
 * recovery code. Each challenge takes at most MFA_MAX_ATTEMPTS codes and opens one session; a TOTP
 * step or a recovery code is spent in the same write that closes the challenge, so neither can be
 * replayed, even by requests racing each other. Wrong codes count towards the sign-in throttle.
 */
export function loginSecondFactor(deps: LoginSecondFactorDeps) {
  return async (input: {
    mfaToken: string;
    code?: string | undefined;
    recoveryCode?: string | undefined;
    context: RequestContext;
  }): Promise<TokenResponse> => {
    const now = deps.clock();
    const { user, twoFactor, challenge, hash } = await resolveChallenge(deps, input, now);
    const key = { email: user.email, ip: input.context.ip };
    await refuseWhileLocked(deps.throttle, key, now, challengeCaptcha(challenge));
    if (!(await deps.twoFactor.takeAttempt(user.id, hash, now, MFA_MAX_ATTEMPTS))) return challengeClosed(deps, user, input.context);

    let factor: Factor | null = null;
    if (input.code !== undefined && twoFactor.secret) {
      const secret = openSecret(deps.sealer, user.id, 'secret', twoFactor.secret);
      const timeStep = await matchTotp(secret, input.code, now, twoFactor.lastTimeStep);
      // A secret still in the old format (bound to no account) is re-sealed for this account by the same write.
      const reseal =
        secret !== null && deps.sealer.isLegacy(twoFactor.secret)
          ? { from: twoFactor.secret, to: sealSecret(deps.sealer, user.id, 'secret', secret) }
          : undefined;
      if (timeStep !== null && (await deps.twoFactor.passWithTotp(user.id, hash, timeStep, now, reseal))) factor = 'totp';
    } else if (input.recoveryCode !== undefined) {
      const normalized = normalizeRecoveryCode(input.recoveryCode);
      const codeHash = normalized && hashRecoveryCode(user.id, normalized);
      if (codeHash && (await deps.twoFactor.passWithRecoveryCode(user.id, hash, codeHash, now))) factor = 'recovery_code';
    }

    if (!factor) {
      const outcome = await deps.throttle.recordFailure(key, now);
      await recordLoginFailure(deps, { email: user.email, context: input.context }, user, 'bad_second_factor', outcome.failures);
      if (outcome.locked) await announceLock(deps, user, input.context, outcome, now);
      throw wrongCode({ attemptsRemaining: Math.max(0, MFA_MAX_ATTEMPTS - challenge.attempts - 1) });
    }

    await deps.throttle.reset(key);
    const remaining = factor === 'recovery_code' ? twoFactor.recoveryCodes.filter((c) => !c.usedAt).length - 1 : null;
    await deps.audit.record({
      userId: user.id,
      action: 'login',
      outcome: 'success',
      context: input.context,
      details: { factors: `password,${factor}`, ...(remaining === null ? {} : { recoveryCodesRemaining: remaining }) },
    });
    const tokens = await deps.sessions.open(
      user,
      input.context,
      ['password', factor],
      () => new AppError('token_invalid', MFA_TOKEN_MESSAGES.token_invalid),
    );
    // The password step flagged the account, if its password is breached; this step ends the sign-in.
    return flagBreached(tokens, user.passwordBreached);
  };
}
