import { createEvent, type AnyCloudEvent, type LoginFailureReason, type MfaRequiredResponse } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { SessionIssuer, TokenResponse } from '../sessions/session-issuer';
import { issueOneTimeToken } from '../tokens/one-time-token';
import { isResetDue } from '../two-factor/pending-reset';
import { twoFactorDisabledEvents } from '../two-factor/two-factor-disabled';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import { accountDisabled } from '../users/account-disabled';
import type { PasswordHasher } from '../users/password-hasher';
import type { UserRepository, UserSummary } from '../users/user.repository';
import { flagBreached } from './breached-sign-in';
import { isClear, throttleRefusal, type FailureOutcome, type ThrottleKey, type Throttles } from './login-throttle';

export interface LoginThrottle {
  stateOf(key: ThrottleKey): Promise<Throttles>;
  recordFailure(key: ThrottleKey, now: Date): Promise<FailureOutcome>;
  reset(key: ThrottleKey): Promise<void>;
  resetAddress(email: string): Promise<void>;
}

export interface LoginDeps {
  users: Pick<UserRepository, 'findCredentials' | 'announce'>;
  throttle: LoginThrottle;
  hasher: PasswordHasher;
  /** A hash of a random password: unknown addresses verify against it so both paths cost the same. */
  dummyHash: string;
  audit: Pick<AuditLog, 'record'>;
  sessions: Pick<SessionIssuer, 'open'>;
  /** Accounts with two-factor on get a challenge instead of tokens, unless a reset of it is due. */
  secondFactor: Pick<TwoFactorRepository, 'addChallenge' | 'completeDueReset'>;
  mfa: { ttlMs: number };
  /**
   * Whether the request's CAPTCHA proof (the gateway's signed header, absent for most sign-ins) holds
   * for this address now; always false when identity has no CAPTCHA_PROOF_KEY.
   */
  captchaSolved: (proof: string | undefined, email: string, now: Date) => boolean;
  /** Whether a password sign-in is taken: always while PASSWORD_GRANT_ENABLED, else only the pages' (their proof). */
  passwordGrantAllowed: (pagesProof: string | undefined, email: string, now: Date) => boolean;
  /** After a correct password: flags and tells the owner when it is known from breaches; never refuses. */
  checkPassword: (user: UserSummary, password: string, context: RequestContext) => Promise<boolean>;
  clock: () => Date;
}

/** What `captcha_required` tells a client on sign-in; past the address-wide count only a CAPTCHA gets through before the window ends. */
const SOLVE_CAPTCHA =
  'Too many failed sign-ins for this address from many places: solve a CAPTCHA and send its token as captchaToken with the sign-in, or try again once the window ends (Retry-After)';

const SOURCE = '/identity';

/**
 * Password sign-in. Known and unknown addresses are indistinguishable from outside: same answers,
 * same argon2 cost, and the same lock after too many failures (the throttle is per address and client,
 * whether or not the address has an account). Only a real owner is told of a lock, by email.
 */
export function login(deps: LoginDeps) {
  return async (input: {
    email: string;
    password: string;
    /** The gateway's CAPTCHA proof header, if the request has one. */
    captchaProof?: string | undefined;
    /** The account pages' proof header, if the request has one. */
    pagesProof?: string | undefined;
    context: RequestContext;
  }): Promise<TokenResponse | MfaRequiredResponse> => {
    const now = deps.clock();
    // Before anything is looked up or counted: a refused grant says nothing about the address.
    if (!deps.passwordGrantAllowed(input.pagesProof, input.email, now)) {
      throw new AppError('unsupported_grant_type', 'The password grant is turned off: sign users in with the OpenID Connect code flow');
    }
    const key = { email: input.email, ip: input.context.ip };
    // Both are read whatever the throttle says (a refusal is audited with the account): at once.
    const [throttles, credentials] = await Promise.all([deps.throttle.stateOf(key), deps.users.findCredentials(input.email)]);
    // A solved CAPTCHA lets the password be checked past the address-wide count; its failures still count.
    const captchaSolved = deps.captchaSolved(input.captchaProof, input.email, now);
    const refusal = throttleRefusal(throttles, now, {
      locked: 'Too many failed sign-ins for this address; try again later',
      captcha: SOLVE_CAPTCHA,
      captchaSolved,
    });
    // An account whose purge has begun is as good as gone: it answers like an unknown address.
    const found = credentials?.user.deletion?.purgeStartedAt ? null : credentials;
    if (refusal) {
      await recordLoginFailure(deps, input, found?.user ?? null, 'locked', 0);
      throw refusal;
    }

    const valid = await deps.hasher.verify(found?.passwordHash ?? deps.dummyHash, input.password);
    if (!found || !valid) {
      const outcome = await deps.throttle.recordFailure(key, now);
      await recordLoginFailure(deps, input, found?.user ?? null, found ? 'bad_password' : 'unknown_user', outcome.failures);
      if (outcome.locked && found) await announceLock(deps, found.user, input.context, outcome, now);
      throw new AppError('invalid_credentials', 'The email address or password is not correct');
    }

    if (found.user.disabled) {
      // Told only to whoever has the password: the refusal says the account exists.
      await deps.audit.record({
        userId: found.user.id,
        action: 'login',
        outcome: 'failure',
        context: input.context,
        details: { reason: 'account_disabled', email: input.email },
      });
      throw accountDisabled();
    }
    // With the password in hand, whatever the second factor: it is the one thing a breach leaks.
    const breached = (await deps.checkPassword(found.user, input.password, input.context)) || found.user.passwordBreached;
    // Read with the credentials, before the hash: two-factor turned on meanwhile asks for a code next time.
    const gate = found.gate;
    // A two-factor reset its owner confirmed from the mailbox, not cancelled and past its delay, is
    // carried out here, by the password it waited for: off in one conditional write with its event
    // and the owner's notice, and this sign-in needs no code. Until then nothing is weakened.
    const resetDone =
      isResetDue(gate.reset, now) &&
      (await deps.secondFactor.completeDueReset(found.user.id, now, twoFactorDisabledEvents(found.user, now)));
    if (resetDone) {
      await deps.audit.record({
        userId: found.user.id,
        action: 'two_factor_reset_completed',
        outcome: 'success',
        context: input.context,
        details: { confirmedAt: gate.reset!.confirmedAt.toISOString() },
      });
    }
    if (gate.on && !resetDone) {
      // The throttle is cleared only once the second factor passes: wrong codes keep counting.
      const challenge = issueOneTimeToken(now, deps.mfa.ttlMs);
      await deps.secondFactor.addChallenge(found.user.id, {
        hash: challenge.hash,
        expiresAt: challenge.expiresAt,
        usedAt: null,
        attempts: 0,
        createdAt: now,
        // The second step is checked against the same counts: without this it would ask for the CAPTCHA again.
        ...(captchaSolved ? { captchaSolved: true } : {}),
      });
      await deps.audit.record({ userId: found.user.id, action: 'mfa_challenge_issued', outcome: 'success', context: input.context });
      return { mfa_required: true, mfa_token: challenge.value };
    }

    // Most sign-ins follow no failure: then there is nothing to clear, and no database write to make.
    if (!isClear(throttles.client)) await deps.throttle.reset(key);
    await deps.audit.record({
      userId: found.user.id,
      action: 'login',
      outcome: 'success',
      context: input.context,
      details: { factors: 'password' },
    });
    return flagBreached(await deps.sessions.open(found.user, input.context, ['password']), breached);
  };
}

/** LoginFailed and its audit entry, for the password step and the second-factor step alike. */
export function recordLoginFailure(
  deps: Pick<LoginDeps, 'audit'>,
  input: { email?: string; context: RequestContext },
  user: UserSummary | null,
  reason: LoginFailureReason,
  failures: number,
): Promise<void> {
  const event = createEvent('LoginFailed', {
    source: SOURCE,
    // An unknown mfa_token names nobody: the client's address keys the event then.
    subject: user?.id ?? input.email ?? input.context.ip,
    data: {
      ...(input.email ? { email: input.email } : {}),
      ...(user ? { userId: user.id } : {}),
      reason,
      ...(failures > 0 ? { consecutiveFailures: failures } : {}),
      ip: input.context.ip,
      userAgent: input.context.userAgent,
    },
  });
  return deps.audit.record(
    {
      userId: user?.id ?? null,
      action: 'login',
      outcome: 'failure',
      context: input.context,
      details: { reason, email: input.email ?? null },
    },
    [event],
  );
}

export async function announceLock(
  deps: { audit: LoginDeps['audit']; users: Pick<LoginDeps['users'], 'announce'> },
  user: UserSummary,
  context: RequestContext,
  outcome: FailureOutcome,
  now: Date,
): Promise<void> {
  const lockedUntil = (outcome.state.lockedUntil ?? now).toISOString();
  const events: AnyCloudEvent[] = [
    createEvent('AccountLocked', {
      source: SOURCE,
      subject: user.id,
      time: now,
      data: { userId: user.id, email: user.email, lockedUntil, failedAttempts: outcome.failures, ip: context.ip },
    }),
  ];
  await deps.audit.record({ userId: user.id, action: 'account_locked', outcome: 'success', context, details: { lockedUntil } }, events);
  await deps.users.announce(user.id, [
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: user.id,
      time: now,
      data: { template: 'account-locked', to: user.email, locale: user.locale, userId: user.id, variables: { lockedUntil } },
    }),
  ]);
}
