import type { Feature } from '@solar/chassis';
import { signInRoutes } from './sign-in.routes';

export function signInFeature(): Feature {
  return { routes: signInRoutes };
}
