import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { adminUsersRoutes } from './admin-users.routes';
import { unverifiedAdminEmails } from './unverified-admin-emails';
import { getUser } from './get-user.use-case';
import { listUsers } from './list-users.use-case';

export function adminFeature({
  users,
  sessions,
  twoFactor,
  requireUser,
  config,
  logger,
}: Pick<IdentityContext, 'users' | 'sessions' | 'twoFactor' | 'requireUser' | 'config' | 'logger'>): Feature {
  const routes = adminUsersRoutes({ list: listUsers({ users }), get: getUser({ twoFactor, sessions }), authenticate: requireUser });
  return {
    routes: (app) => app.use(routes),
    workers: [
      {
        name: 'admin-emails-check',
        // A listed address without a verified account is one whoever verifies it first makes admin:
        // the operator should know it is waiting, and for whom.
        async start() {
          const waiting = await unverifiedAdminEmails({ users }, config.ADMIN_EMAILS);
          if (waiting.length > 0) {
            logger.warn(
              { addresses: waiting },
              'ADMIN_EMAILS lists addresses without a verified account: the admin role goes to whoever verifies them',
            );
          }
        },
        stop() {},
      },
    ],
  };
}
