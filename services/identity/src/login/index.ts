import { randomBytes } from 'node:crypto';
import { countOutcomes, isCaptchaProofValid, isPagesProofValid, type Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { loginOutcome } from '../metrics/identity-metrics';
import { logout } from '../sessions/logout.use-case';
import { refresh } from '../sessions/refresh.use-case';
import { checkSignInPassword } from './breached-sign-in';
import { loginRoutes } from './login.routes';
import { login } from './login.use-case';

/** Sign-in, refresh and sign-out. */
export async function loginFeature(
  ctx: Pick<
    IdentityContext,
    | 'config'
    | 'users'
    | 'sessions'
    | 'throttle'
    | 'hasher'
    | 'policy'
    | 'audit'
    | 'issuer'
    | 'twoFactor'
    | 'clock'
    | 'counters'
    | 'requireUser'
  >,
): Promise<Feature> {
  const { config, users, sessions, throttle, hasher, audit, issuer, clock } = ctx;
  // An unknown address is checked against this, so it costs as much time as a known one.
  const dummyHash = await hasher.hash(randomBytes(16).toString('hex'));
  const signIn = login({
    users,
    throttle,
    hasher,
    dummyHash,
    audit,
    sessions: issuer,
    secondFactor: ctx.twoFactor,
    mfa: { ttlMs: config.MFA_TOKEN_TTL },
    // Without the key shared with the gateway no proof is believed: past the address count the window must pass.
    captchaSolved: (proof, email, now) =>
      config.CAPTCHA_PROOF_KEY !== undefined && isCaptchaProofValid(config.CAPTCHA_PROOF_KEY, proof, email, now),
    passwordGrantAllowed: (proof, email, now) =>
      config.PASSWORD_GRANT_ENABLED ||
      (config.PAGES_SIGN_IN_KEY !== undefined && isPagesProofValid(config.PAGES_SIGN_IN_KEY, proof, email, now)),
    checkPassword: checkSignInPassword({
      policy: ctx.policy,
      users,
      audit,
      clock,
      noticeIntervalMs: config.BREACHED_PASSWORD_NOTICE_INTERVAL,
    }),
    clock,
  });
  const routes = loginRoutes({
    login: countOutcomes(signIn, ctx.counters.logins, loginOutcome),
    refresh: refresh({
      sessions,
      users,
      issuer,
      audit,
      lifetime: { idleMs: config.SESSION_IDLE_TIMEOUT, maxAgeMs: config.SESSION_MAX_AGE },
      reuseGraceMs: config.REFRESH_REUSE_GRACE,
      clock,
    }),
    logout: logout({ sessions, audit }),
    authenticate: ctx.requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
