import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { changePassword } from './change-password.use-case';
import { passwordRoutes } from './password.routes';
import { requestPasswordReset } from './request-password-reset.use-case';
import { resetPassword } from './reset-password.use-case';

export function passwordFeature(
  ctx: Pick<
    IdentityContext,
    'config' | 'users' | 'sessions' | 'twoFactor' | 'throttle' | 'hasher' | 'policy' | 'audit' | 'clock' | 'requireUser'
  >,
): Feature {
  const { users, sessions, twoFactor, throttle, hasher, policy, audit, clock } = ctx;
  const routes = passwordRoutes({
    requestReset: requestPasswordReset({
      users,
      audit,
      clock,
      reset: { ttlMs: ctx.config.PASSWORD_RESET_TTL, linkBase: ctx.config.APP_URL },
    }),
    reset: resetPassword({ users, sessions, twoFactor, throttle, hasher, policy, audit, clock }),
    change: changePassword({ users, sessions, hasher, throttle, policy, audit, clock }),
    authenticate: ctx.requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
