import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * helmet's headers with a strict Content-Security-Policy: scripts, styles and everything else from
 * our origin only (no inline script or style, no CDN), no framing, forms posted only to us. No
 * referrer ever leaves a page: the emailed links' tokens were once in these URLs (security finding 12).
 */
export function securityHeaders(options: { secure: boolean; logoUrl?: string | undefined }): RequestHandler {
  const images = ["'self'", ...(options.logoUrl ? [new URL(options.logoUrl).origin] : [])];
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: images,
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.secure,
  });
}
