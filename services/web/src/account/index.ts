import type { Feature } from '@solar/chassis';
import { accountRoutes } from './account.routes';

export function accountFeature(): Feature {
  return { routes: accountRoutes };
}
