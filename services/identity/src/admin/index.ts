import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { adminUsersRoutes } from './admin-users.routes';
import { listUsers } from './list-users.use-case';

export function adminFeature({ users, requireUser }: Pick<IdentityContext, 'users' | 'requireUser'>): Feature {
  const routes = adminUsersRoutes({ list: listUsers({ users }), authenticate: requireUser });
  return { routes: (app) => app.use(routes) };
}
