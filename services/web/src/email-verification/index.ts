import type { Feature } from '@solar/chassis';
import { verifyEmailRoutes } from './verify-email.routes';

export function emailVerificationFeature(): Feature {
  return { routes: verifyEmailRoutes };
}
