import type { RequestHandler } from 'express';

/**
 * `Referrer-Policy: no-referrer` on the routes an emailed link's page calls (verify-email,
 * reset-password, register with an invite, cancel-deletion,
 * confirming a two-factor reset, confirming and undoing an email change): the page's URL carries the link's
 * single-use token in its query string, and nothing answered here may let a browser pass that URL
 * on as a Referer. The gateway sends the same header on every answer; this holds for identity
 * reached any other way.
 */
export const noReferrer: RequestHandler = (_req, res, next) => {
  res.setHeader('referrer-policy', 'no-referrer');
  next();
};
