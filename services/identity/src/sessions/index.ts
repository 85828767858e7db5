import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { listSessions, revokeSession } from './logout.use-case';
import { sessionsRoutes } from './sessions.routes';

export function sessionsFeature({
  sessions,
  audit,
  users,
  requireUser,
}: Pick<IdentityContext, 'sessions' | 'audit' | 'users' | 'requireUser'>): Feature {
  const routes = sessionsRoutes({
    list: listSessions({ sessions }),
    revoke: revokeSession({ sessions, audit }),
    currentRoles: async (userId) => (await users.findById(userId))?.roles ?? null,
    authenticate: requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
