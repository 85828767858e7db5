import type { Feature } from '@solar/chassis';
import { signedInRecently } from '../admin-actions/recent-sign-in';
import type { IdentityContext } from '../identity-context';
import { listSessions, revokeSession } from './logout.use-case';
import { sessionsRoutes } from './sessions.routes';

export function sessionsFeature({
  sessions,
  audit,
  users,
  requireUser,
  config,
  clock,
}: Pick<IdentityContext, 'sessions' | 'audit' | 'users' | 'requireUser' | 'config' | 'clock'>): Feature {
  const routes = sessionsRoutes({
    list: listSessions({ sessions }),
    revoke: revokeSession({ sessions, audit }),
    currentRoles: async (userId) => (await users.findById(userId))?.roles ?? null,
    signedInRecently: signedInRecently({ sessions, windowMs: config.ADMIN_REAUTH_WINDOW, clock }),
    reauthWindowSeconds: Math.floor(config.ADMIN_REAUTH_WINDOW / 1000),
    authenticate: requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
