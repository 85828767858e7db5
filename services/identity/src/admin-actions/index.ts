import type { Feature } from '@solar/chassis';
import { setAdminRole } from '../admin/set-admin-role.use-case';
import type { purgeAccount } from '../deletion/purge-account.use-case';
import type { IdentityContext } from '../identity-context';
import { disableAccount, enableAccount } from './account-status.use-case';
import { endSessions, resetTwoFactor, unlockAccount } from './account-support.use-case';
import { adminActionsRoutes } from './admin-actions.routes';
import { deleteAccountNow } from './delete-account-now.use-case';
import { requireRecentSignIn } from './recent-sign-in';

/** What an operator does to an account through the API: disable, unlock, reset two-factor, end sessions, delete, roles. */
export function adminActionsFeature(
  ctx: Pick<IdentityContext, 'config' | 'users' | 'sessions' | 'models' | 'twoFactor' | 'throttle' | 'audit' | 'clock' | 'requireUser'> & {
    purge: ReturnType<typeof purgeAccount>;
  },
): Feature {
  const { users, sessions, audit, clock } = ctx;
  const routes = adminActionsRoutes({
    authenticate: ctx.requireUser,
    recentSignIn: requireRecentSignIn({ sessions, windowMs: ctx.config.ADMIN_REAUTH_WINDOW, clock }),
    disable: disableAccount({ users, sessions, oidc: { removeAccount: (userId) => ctx.models.removeAccount(userId) }, audit, clock }),
    enable: enableAccount({ users, audit, clock }),
    unlock: unlockAccount({ users, audit, throttle: ctx.throttle }),
    resetTwoFactor: resetTwoFactor({ users, audit, twoFactor: ctx.twoFactor, clock }),
    endSessions: endSessions({ users, audit, sessions }),
    deleteNow: deleteAccountNow({ users, purge: ctx.purge, audit, clock }),
    setRole: setAdminRole({ users, audit }),
  });
  return { routes: (app) => app.use(routes) };
}
