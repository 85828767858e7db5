import type { RequestHandler } from 'express';
import type { Feature } from '@solar/chassis';
import { widenedPolicy } from '../http/security-headers';
import type { CaptchaWidget } from './captcha-widget';
import { waitlistRoutes } from './waitlist.routes';

/**
 * `csp`: the pages' policy, widened on the waitlist page alone for the CAPTCHA provider's origins:
 * its script, the frame it draws the challenge in, its styles and its calls home.
 */
export function waitlistFeature(widget: CaptchaWidget | null, csp: { secure: boolean; logoUrl?: string | undefined }): Feature {
  const policy: RequestHandler = widget
    ? widenedPolicy(csp, { scriptSrc: widget.origins, frameSrc: widget.origins, styleSrc: widget.origins, connectSrc: widget.origins })
    : (_req, _res, next) => next();
  return { routes: (app) => waitlistRoutes(app, widget, policy) };
}
