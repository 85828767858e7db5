import type { Feature } from '@solar/chassis';
import { emailChangeRoutes } from './email-change.routes';

export function emailChangeFeature(): Feature {
  return { routes: emailChangeRoutes };
}
