import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { listSessions, revokeSession } from './logout.use-case';
import { sessionsRoutes } from './sessions.routes';

export function sessionsFeature({ sessions, audit, requireUser }: Pick<IdentityContext, 'sessions' | 'audit' | 'requireUser'>): Feature {
  const routes = sessionsRoutes({
    list: listSessions({ sessions }),
    revoke: revokeSession({ sessions, audit }),
    authenticate: requireUser,
  });
  return { routes: (app) => app.use(routes) };
}
