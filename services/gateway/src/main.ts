import {
  Health,
  createHttpApp,
  createLogger,
  listen,
  loadConfig,
  runStopSteps,
  serviceMain,
  trustProxySetting,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { announcedBodyLimit } from './http/body-limit';
import { GatewayConfig } from './config';
import { openApiRoutes } from './openapi/openapi.routes';
import { upstreamProxy } from './routing/upstream-proxy';
import { createRateLimits, type RateLimits } from './rate-limits/rate-limiter';
import { createRedisClient } from './rate-limits/rate-limit-store';

/**
 * Public path prefixes under /v1 and the service that answers them. The first match wins, so the
 * more specific notification prefixes come before identity's `/admin`.
 */
const ROUTES: [prefix: string, upstream: 'identity' | 'notification'][] = [
  ['/health/email', 'notification'],
  ['/admin/email', 'notification'],
  ['/webhooks/email', 'notification'],
  ['/auth', 'identity'],
  ['/users', 'identity'],
  ['/admin', 'identity'],
  ['/.well-known', 'identity'],
  ['/waitlist', 'identity'],
];

export function createGatewayService(env: Env = process.env, overrides: { logger?: Logger } = {}): Service {
  const config = loadConfig(GatewayConfig, env);
  const logger = overrides.logger ?? createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const health = new Health();
  const upstreams = { identity: config.IDENTITY_URL, notification: config.NOTIFICATION_URL };
  for (const [name, url] of Object.entries(upstreams)) {
    // Identity carries every sign-in: without it the gateway cannot serve. Notification's paths are few.
    health.register(
      name,
      async () => {
        const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(1_500) });
        if (!response.ok) throw new Error(`${name} answered ${response.status}`);
      },
      { critical: name === 'identity' },
    );
  }
  const redis = config.RATE_LIMITS_ENABLED && config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  let rateLimits: RateLimits | undefined;
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      if (redis) {
        // A Redis that is down at start is an outage like any other: the stores' first use of it
        // fails, they report it, and the gateway serves with per-instance limits until it answers.
        await redis.connect().catch(() => undefined);
        // Created after connecting, as each store prepares its Redis scripts when it is created.
        rateLimits = createRateLimits({ limits: config, redis, logger, health, probeIntervalMs: config.REDIS_PROBE_INTERVAL });
      }
      const proxies = {
        identity: upstreamProxy({ name: 'identity', target: upstreams.identity, timeoutMs: config.UPSTREAM_TIMEOUT, logger }),
        notification: upstreamProxy({ name: 'notification', target: upstreams.notification, timeoutMs: config.UPSTREAM_TIMEOUT, logger }),
      };
      const app = createHttpApp({
        logger,
        health,
        trustProxy: trustProxySetting(config.TRUST_PROXY),
        parseBodies: false,
        routes: (router) => {
          router.use(openApiRoutes());
          // Providers post bounce reports in batches (SendGrid up to 768 KB): their path has its own limit.
          const limits = {
            api: announcedBodyLimit(config.BODY_LIMIT_BYTES),
            webhooks: announcedBodyLimit(config.WEBHOOK_BODY_LIMIT_BYTES),
          };
          // Refusing an over-limit client is the cheapest answer, so it comes first.
          if (rateLimits) router.use('/v1', rateLimits.middleware);
          router.use('/v1', (req, res, next) => limits[req.path.startsWith('/webhooks/email/') ? 'webhooks' : 'api'](req, res, next));
          for (const [prefix, upstream] of ROUTES) router.use(`/v1${prefix}`, prefixed(prefix, proxies[upstream]));
        },
      });
      const server = await listen(app, config.GATEWAY_PORT, config.HOST);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        [
          'rate-limits',
          () => {
            rateLimits?.shutdown();
            redis?.disconnect();
          },
        ],
      ];
      return { port: server.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

/** Express strips the mount path; the upstream expects it back, without the /v1 version segment. */
function prefixed(prefix: string, handler: ReturnType<typeof upstreamProxy>): ReturnType<typeof upstreamProxy> {
  return (req, res, next) => {
    req.url = `${prefix}${req.url === '/' ? '' : req.url}`;
    handler(req, res, next);
  };
}

export const main = serviceMain('gateway', GatewayConfig, createGatewayService);
