import helmet from 'helmet';
import {
  Health,
  Metrics,
  accessTokenVerifierFromConfig,
  createHttpApp,
  createLogger,
  listen,
  loadConfig,
  runStopSteps,
  serveMetrics,
  serviceMain,
  trustProxySetting,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { identifyCaller, requireCaller } from './auth/caller';
import { captchaFromConfig } from './captcha/captcha-check';
import { announcedBodyLimit } from './http/body-limit';
import { corsPolicy } from './http/cors-policy';
import { GatewayConfig } from './config';
import { publicRouteOf } from './http/route-label';
import { openApiRoutes } from './openapi/openapi.routes';
import { createMonthlyQuotas } from './quotas/monthly-quotas';
import { methodNotAllowed } from './routing/allowed-methods';
import { upstreamProxy } from './routing/upstream-proxy';
import { createRateLimits, type RateLimits } from './rate-limits/rate-limiter';
import { createRedisClient } from './rate-limits/rate-limit-store';

/**
 * Public path prefixes under /v1 and the service that answers them. The first match wins, so the
 * more specific notification and lifecycle prefixes come before identity's `/admin`.
 */
const ROUTES: [prefix: string, upstream: 'identity' | 'notification' | 'lifecycle'][] = [
  ['/health/email', 'notification'],
  ['/admin/email', 'notification'],
  ['/admin/jobs', 'lifecycle'],
  ['/admin/reports', 'lifecycle'],
  ['/webhooks/email', 'notification'],
  ['/auth', 'identity'],
  ['/users', 'identity'],
  ['/admin', 'identity'],
  ['/waitlist', 'identity'],
  ['/.well-known', 'identity'],
];

export function createGatewayService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(GatewayConfig, env);
  const logger = overrides.logger ?? createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const health = new Health();
  const metrics = new Metrics('gateway');
  const upstreams = { identity: config.IDENTITY_URL, notification: config.NOTIFICATION_URL, lifecycle: config.LIFECYCLE_URL };
  for (const [name, url] of Object.entries(upstreams)) {
    // Identity carries every sign-in: without it the gateway cannot serve. The others' paths are few.
    health.register(
      name,
      async () => {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1_500) });
        if (!response.ok) throw new Error(`${name} answered ${response.status}`);
      },
      { critical: name === 'identity' },
    );
  }
  const verify = accessTokenVerifierFromConfig({
    ...config,
    IDENTITY_JWKS_URL: config.IDENTITY_JWKS_URL ?? new URL('/.well-known/jwks.json', config.IDENTITY_URL).href,
  });
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  const captcha = captchaFromConfig(config, redis, logger, metrics);
  const quotas =
    config.QUOTAS_ENABLED && redis && config.KAFKA_BROKERS
      ? createMonthlyQuotas({
          config,
          brokers: config.KAFKA_BROKERS,
          redis,
          health,
          clock: overrides.clock ?? (() => new Date()),
          logger,
          metrics,
        })
      : undefined;
  let rateLimits: RateLimits | undefined;
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      if (redis) await redis.connect().catch(() => undefined);
      if (redis && config.RATE_LIMITS_ENABLED) {
        // A Redis that is down at start is an outage like any other: the stores' first use of it
        // fails, they report it, and the gateway serves with per-instance limits until it answers.
        // Created after connecting, as each store prepares its Redis scripts when it is created.
        rateLimits = createRateLimits({ limits: config, redis, logger, health, metrics, probeIntervalMs: config.REDIS_PROBE_INTERVAL });
      }
      quotas?.start();
      const proxy = (name: keyof typeof upstreams) =>
        upstreamProxy({
          name,
          target: upstreams[name],
          timeoutMs: config.UPSTREAM_TIMEOUT,
          bodyLimitBytes: config.BODY_LIMIT_BYTES,
          logger,
        });
      const proxies = { identity: proxy('identity'), notification: proxy('notification'), lifecycle: proxy('lifecycle') };
      const publicRoute = publicRouteOf();
      const app = createHttpApp({
        logger,
        health,
        metrics,
        // Proxied requests match no Express route: they are labelled by the public API's templates.
        routeOf: (req) => publicRoute(req.originalUrl.split('?')[0] ?? ''),
        trustProxy: trustProxySetting(config.TRUST_PROXY),
        parseBodies: false,
        // Every answer, health checks and proxied ones included, carries the security headers; a page
        // that needs its own Content-Security-Policy (the API docs) sets it and replaces helmet's.
        early: [
          helmet(),
          corsPolicy({ origins: config.CORS_ORIGINS, credentials: config.CORS_CREDENTIALS, maxAgeMs: config.CORS_MAX_AGE }),
        ],
        routes: (router) => {
          router.use(openApiRoutes());
          // Providers post bounce reports in batches (SendGrid up to 768 KB): their path has its own limit.
          const limits = {
            api: announcedBodyLimit(config.BODY_LIMIT_BYTES),
            webhooks: announcedBodyLimit(config.WEBHOOK_BODY_LIMIT_BYTES),
          };
          // The caller is identified first so per-user limits count the verified subject; a request the
          // JWT check refuses is still counted by the limits before its 401, so forged tokens are throttled too.
          router.use('/v1', identifyCaller(verify));
          if (rateLimits) router.use('/v1', rateLimits.middleware);
          // Before the token check: a method no route takes is a 405 for everyone, signed in or not.
          router.use('/v1', methodNotAllowed());
          router.use('/v1', requireCaller);
          router.use('/v1', (req, res, next) => limits[req.path.startsWith('/webhooks/email/') ? 'webhooks' : 'api'](req, res, next));
          if (quotas) router.use('/v1', quotas.middleware);
          if (captcha) router.use('/v1', captcha);
          for (const [prefix, upstream] of ROUTES) router.use(`/v1${prefix}`, prefixed(prefix, proxies[upstream]));
        },
      });
      const server = await listen(app, config.GATEWAY_PORT, config.HOST);
      // Its own listener: the public port never serves /metrics.
      const metricsServer = await serveMetrics(metrics, config, config.GATEWAY_PORT);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['quota-resets', () => quotas?.stop()],
        [
          'redis',
          () => {
            rateLimits?.shutdown();
            redis?.disconnect();
          },
        ],
        ['metrics', () => metricsServer.close(1_000)],
      ];
      return { port: server.port, metricsPort: metricsServer.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

/** Express strips the mount path; the upstream expects it back, without the /v1 version segment. */
function prefixed(prefix: string, handler: ReturnType<typeof upstreamProxy>): ReturnType<typeof upstreamProxy> {
  return (req, res, next) => {
    // `/v1/admin/jobs?x` arrives as `/?x`: the service expects `/admin/jobs?x`, not `/admin/jobs/?x`.
    req.url = `${prefix}${req.url.startsWith('/?') || req.url === '/' ? req.url.slice(1) : req.url}`;
    handler(req, res, next);
  };
}

export const main = serviceMain('gateway', GatewayConfig, createGatewayService);
