import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { confirmEmailChange } from './confirm-email-change.use-case';
import { emailChangeRoutes } from './email-change.routes';
import { requestEmailChange } from './request-email-change.use-case';
import { undoEmailChange } from './undo-email-change.use-case';

/** The promise to the owner of the address left behind: a week to take it back. */
const UNDO_TTL_MS = 7 * 24 * 3_600_000;

export function emailChangeFeature(
  ctx: Pick<
    IdentityContext,
    'config' | 'users' | 'sessions' | 'twoFactor' | 'throttle' | 'hasher' | 'sealer' | 'audit' | 'clock' | 'requireUser'
  >,
): Feature {
  const { config, users, sessions, twoFactor, throttle, hasher, sealer, audit, clock } = ctx;
  const routes = emailChangeRoutes({
    request: requestEmailChange({
      users,
      twoFactor,
      throttle,
      hasher,
      sealer,
      audit,
      clock,
      change: { ttlMs: config.EMAIL_VERIFICATION_TTL, linkBase: config.APP_URL },
    }),
    confirm: confirmEmailChange({ users, audit, clock, undo: { ttlMs: UNDO_TTL_MS, linkBase: config.APP_URL } }),
    undo: undoEmailChange({
      users,
      sessions,
      throttle,
      hasher,
      audit,
      clock,
      reset: { ttlMs: config.PASSWORD_RESET_TTL, linkBase: config.APP_URL },
    }),
    authenticate: ctx.requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
