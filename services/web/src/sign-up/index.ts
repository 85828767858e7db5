import type { Feature } from '@solar/chassis';
import { signUpRoutes } from './sign-up.routes';

export function signUpFeature(): Feature {
  return { routes: signUpRoutes };
}
