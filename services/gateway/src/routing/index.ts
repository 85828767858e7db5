import type { RequestHandler } from 'express';
import type { AccessTokenVerifier, Feature, Health, Logger, ProviderTokenCheck } from '@solar/chassis';
import { identifyCaller, requireCaller } from '../auth/caller';
import type { GatewayConfig } from '../config';
import { announcedBodyLimit } from '../http/body-limit';
import { readBody } from '../http/buffered-body';
import { methodNotAllowed } from './allowed-methods';
import { upstreamProxy } from './upstream-proxy';

type Upstream = 'identity' | 'notification' | 'lifecycle';

/**
 * Public path prefixes under /v1 and the service that answers them. The first match wins, so the
 * more specific notification and lifecycle prefixes come before identity's `/admin`.
 */
const ROUTES: [prefix: string, upstream: Upstream][] = [
  ['/health/email', 'notification'],
  ['/admin/email', 'notification'],
  ['/admin/webhooks', 'notification'],
  ['/admin/jobs', 'lifecycle'],
  ['/admin/reports', 'lifecycle'],
  ['/webhooks/email', 'notification'],
  ['/auth', 'identity'],
  ['/users', 'identity'],
  ['/admin', 'identity'],
  ['/waitlist', 'identity'],
  ['/data-exports', 'identity'],
  ['/oauth', 'identity'],
  ['/.well-known', 'identity'],
];

/**
 * The OpenID Connect provider's public paths, outside /v1 (docs/oidc.md): apps and their libraries
 * find them by the issuer's discovery document. They are identity's, under the per-IP default limit;
 * the sign-in they lead to is the account pages', which meet the login row through /v1/auth/login.
 */
const OIDC_PATHS = ['/.well-known/openid-configuration', '/oauth2'];

/**
 * Whether a path is the provider's: its CORS is the provider's own (docs/oidc.md), per client, which
 * the gateway's allow-list of origins cannot express.
 */
export const isProviderPath = (path: string) => {
  const lower = path.toLowerCase();
  return lower === OIDC_PATHS[0] || lower === OIDC_PATHS[1] || lower.startsWith(`${OIDC_PATHS[1]}/`);
};

/**
 * The /v1 pipeline: the caller is identified, limited, checked, counted against its quota and
 * captcha, then proxied to the service that answers the path. Each upstream's readiness is reported.
 */
export function routingFeature(deps: {
  config: GatewayConfig;
  verify: AccessTokenVerifier;
  providerToken: ProviderTokenCheck;
  health: Health;
  logger: Logger;
  /** In pipeline order, after the caller is identified and before the token is required. */
  limits?: RequestHandler | undefined;
  /** In pipeline order, after the token and body checks. */
  checks: RequestHandler[];
}): Feature {
  const { config } = deps;
  const upstreams: Record<Upstream, string> = {
    identity: config.IDENTITY_URL,
    notification: config.NOTIFICATION_URL,
    lifecycle: config.LIFECYCLE_URL,
  };
  for (const [name, url] of Object.entries(upstreams)) registerUpstreamHealth(deps.health, name, url);
  if (config.WEB_URL) registerUpstreamHealth(deps.health, 'web', config.WEB_URL);
  const proxy = (name: Upstream) =>
    upstreamProxy({
      name,
      target: upstreams[name],
      timeoutMs: config.UPSTREAM_TIMEOUT,
      bodyLimitBytes: config.BODY_LIMIT_BYTES,
      logger: deps.logger,
    });
  const proxies = { identity: proxy('identity'), notification: proxy('notification'), lifecycle: proxy('lifecycle') };
  // Providers post bounce reports in batches (SendGrid up to 768 KB): their path has its own limit.
  const bodyLimits = {
    api: announcedBodyLimit(config.BODY_LIMIT_BYTES),
    webhooks: announcedBodyLimit(config.WEBHOOK_BODY_LIMIT_BYTES),
  };
  return {
    routes: (router) => {
      // The caller is identified first so per-user limits count the verified subject; a request the
      // JWT check refuses is still counted by the limits before its 401, so forged tokens are throttled too.
      router.use('/v1', identifyCaller(deps.verify, deps.providerToken));
      if (deps.limits) router.use('/v1', deps.limits);
      // Before the token check: a method no route takes is a 405 for everyone, signed in or not.
      router.use('/v1', methodNotAllowed());
      router.use('/v1', requireCaller);
      router.use('/v1', (req, res, next) => bodyLimits[req.path.startsWith('/webhooks/email/') ? 'webhooks' : 'api'](req, res, next));
      for (const check of deps.checks) router.use('/v1', check);
      for (const [prefix, upstream] of ROUTES) router.use(`/v1${prefix}`, prefixed(prefix, proxies[upstream]));
      if (deps.limits) router.use(OIDC_PATHS, readTokenForm(config.BODY_LIMIT_BYTES), deps.limits);
      router.use(OIDC_PATHS, (req, res, next) => {
        req.url = req.originalUrl;
        proxies.identity(req, res, next);
      });
      if (config.WEB_URL) router.use(webPages(config.WEB_URL, config, deps.logger));
    },
  };
}

/**
 * The token endpoint's rate-limit rows key on the client the form names (a public client sends only
 * `client_id`), so its small form is read before them; the proxy forwards the bytes read.
 */
function readTokenForm(limitBytes: number): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST' || req.originalUrl.split('?')[0]?.toLowerCase().replace(/\/+$/, '') !== '/oauth2/token') return next();
    if (await readBody(req, res, limitBytes)) next();
  };
}

/** Paths the gateway answers itself or that belong to the API: never the web service's. */
const NOT_PAGES = /^\/(?:v1|docs|openapi\.json|healthz|readyz|metrics)(?:\/|$)/i;

/**
 * Everything else goes to the web service, unauthenticated and unlimited here: its pages call the
 * /v1 API like any client, with the browser's address, and meet the limits there. Its own 5xx pages
 * pass through; only a missing or silent web service becomes a 502 or 504 problem.
 */
function webPages(url: string, config: GatewayConfig, logger: Logger): RequestHandler {
  const proxy = upstreamProxy({
    name: 'web',
    target: url,
    timeoutMs: config.UPSTREAM_TIMEOUT,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    logger,
    passServerErrors: true,
  });
  return (req, res, next) => (NOT_PAGES.test(req.path) ? next() : proxy(req, res, next));
}

/** Identity carries every sign-in: without it the gateway cannot serve. The others' paths are few. */
function registerUpstreamHealth(health: Health, name: string, url: string): void {
  health.register(
    name,
    async () => {
      const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1_500) });
      if (!response.ok) throw new Error(`${name} answered ${response.status}`);
    },
    { critical: name === 'identity' },
  );
}

/** Express strips the mount path; the upstream expects it back, without the /v1 version segment. */
function prefixed(prefix: string, handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    // `/v1/admin/jobs?x` arrives as `/?x`: the service expects `/admin/jobs?x`, not `/admin/jobs/?x`.
    req.url = `${prefix}${req.url.startsWith('/?') || req.url === '/' ? req.url.slice(1) : req.url}`;
    handler(req, res, next);
  };
}
