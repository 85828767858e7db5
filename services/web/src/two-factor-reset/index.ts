import type { Feature } from '@solar/chassis';
import { twoFactorResetRoutes } from './two-factor-reset.routes';

export function twoFactorResetFeature(): Feature {
  return { routes: twoFactorResetRoutes };
}
