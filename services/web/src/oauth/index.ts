import type { Feature } from '@solar/chassis';
import { interactionRoutes } from './interaction.routes';

/** The account pages as the OpenID Connect provider's sign-in and consent screens. */
export function oauthFeature(): Feature {
  return { routes: interactionRoutes };
}
