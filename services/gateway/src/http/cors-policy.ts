import type { RequestHandler } from 'express';
import cors from 'cors';
import { z } from 'zod';
import { booleanFlag, duration } from '@solar/chassis';

/** Spread into the gateway's config schema. */
export const corsConfigShape = {
  /** Browser origins allowed to call the API, such as `https://app.example.com,https://admin.example.com`; empty: none. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s*]+$/, 'each origin is scheme://host[:port], without a path or a wildcard'))),
  /** Whether browsers may send cookies or HTTP authentication cross-origin; bearer tokens do not need it. */
  CORS_CREDENTIALS: booleanFlag(false),
  /** How long a browser may cache a preflight answer. */
  CORS_MAX_AGE: duration('10m'),
};

/**
 * CORS from an allow-list, answered by the gateway itself: services never see a preflight. An allowed
 * origin gets the CORS headers; any other gets none (the browser then refuses to hand the answer to
 * the page), and its preflight ends here with 204 all the same. Paths `passThrough` names keep the
 * CORS of the service that answers them.
 */
export function corsPolicy(options: {
  origins: string[];
  credentials: boolean;
  maxAgeMs: number;
  passThrough?: (path: string) => boolean;
}): RequestHandler {
  const allowed = new Set(options.origins.map((origin) => origin.toLowerCase()));
  const withHeaders = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin.toLowerCase())),
    credentials: options.credentials,
    maxAge: Math.round(options.maxAgeMs / 1_000),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit', 'ratelimit-policy', 'www-authenticate', 'location'],
  });
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || options.passThrough?.(req.path)) return next();
    // Caches must keep the answers for different origins apart, allowed or not.
    res.vary('Origin');
    if (allowed.has(origin.toLowerCase())) return withHeaders(req, res, next);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.status(204).end();
      return;
    }
    next();
  };
}
