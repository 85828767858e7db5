import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { getProfile } from './get-profile.use-case';
import { profileRoutes } from './profile.routes';
import { updateProfile } from './update-profile.use-case';

export function profileFeature({ users, audit, requireUser }: Pick<IdentityContext, 'users' | 'audit' | 'requireUser'>): Feature {
  const routes = profileRoutes({ get: getProfile({ users }), update: updateProfile({ users, audit }), authenticate: requireUser });
  return { routes: (app) => app.use(routes) };
}
