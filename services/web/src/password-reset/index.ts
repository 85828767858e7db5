import type { Feature } from '@solar/chassis';
import { passwordResetRoutes } from './password-reset.routes';

export function passwordResetFeature(): Feature {
  return { routes: passwordResetRoutes };
}
