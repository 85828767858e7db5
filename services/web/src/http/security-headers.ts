import helmet from 'helmet';
import type { RequestHandler } from 'express';

type Directives = Record<string, string[]>;

/**
 * The strict Content-Security-Policy of every page: scripts, styles and everything else from our
 * origin only (no inline script or style, no CDN), no framing, forms posted only to us.
 */
function baseDirectives(options: { secure: boolean; logoUrl?: string | undefined }): Directives {
  return {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", ...(options.logoUrl ? [new URL(options.logoUrl).origin] : [])],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    ...(options.secure ? { upgradeInsecureRequests: [] } : {}),
  };
}

/**
 * helmet's headers with the strict policy above. No referrer ever leaves a page: the emailed links'
 * tokens were once in these URLs (security finding 12).
 */
export function securityHeaders(options: { secure: boolean; logoUrl?: string | undefined }): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: baseDirectives(options) },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.secure,
  });
}

/**
 * The policy of one route, widened by `extra` sources per directive; it replaces the header the
 * early middleware set, so every other page keeps the strict one. For the two pages that need more:
 * the QR code (a `data:` image) and the CAPTCHA provider's widget.
 */
export function widenedPolicy(options: { secure: boolean; logoUrl?: string | undefined }, extra: Directives): RequestHandler {
  const directives = baseDirectives(options);
  for (const [name, sources] of Object.entries(extra)) {
    const kept = (directives[name] ?? []).filter((source) => source !== "'none'");
    directives[name] = [...new Set([...kept, ...sources])];
  }
  return helmet.contentSecurityPolicy({ useDefaults: false, directives });
}
