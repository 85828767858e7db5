import type { Feature } from '@solar/chassis';
import { openApiRoutes } from './openapi.routes';

/** The public API's description and its docs page. */
export function openApiFeature(): Feature {
  return { routes: (app) => app.use(openApiRoutes()) };
}
