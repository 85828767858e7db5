import type { Feature } from '@solar/chassis';
import { widenedPolicy } from '../http/security-headers';
import { twoFactorRoutes } from './two-factor.routes';

/** `csp`: the pages' policy, widened on the one page that shows the API's QR code as a `data:` PNG. */
export function twoFactorFeature(csp: { secure: boolean; logoUrl?: string | undefined }): Feature {
  return { routes: (app) => twoFactorRoutes(app, widenedPolicy(csp, { imgSrc: ['data:'] })) };
}
