import helmet from 'helmet';
import { PROVIDER_TOKEN_INTROSPECTION_PATH, Topics } from '@solar/contracts';
import {
  accessTokenVerifierFromConfig,
  identityInternalUrl,
  providerTokenIntrospector,
  loadConfig,
  serviceMain,
  serviceRuntime,
  trustProxySetting,
  type Env,
  type Logger,
  type Runtime,
  type Service,
} from '@solar/chassis';
import { captchaFromConfig } from './captcha/captcha-check';
import { GatewayConfig } from './config';
import { corsPolicy } from './http/cors-policy';
import { publicRouteOf } from './http/route-label';
import { openApiFeature } from './openapi';
import { quotasFeature } from './quotas';
import { createRateLimits } from './rate-limits/rate-limiter';
import { createRedisClient } from './rate-limits/rate-limit-store';
import { isProviderPath, routingFeature } from './routing';

export function createGatewayService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(GatewayConfig, env);
  return serviceRuntime({
    service: 'gateway',
    config,
    listen: { port: config.GATEWAY_PORT, host: config.HOST },
    logger: overrides.logger,
    clock: overrides.clock,
    compose,
  });
}

async function compose({ config, health, logger, metrics, clock }: Runtime<GatewayConfig>) {
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  if (redis) await redis.connect().catch(() => undefined);
  // A Redis that is down at start is an outage like any other: the stores' first use of it fails,
  // they report it, and the gateway serves with per-instance limits until it answers. Created after
  // connecting, as each store prepares its Redis scripts when it is created.
  const rateLimits =
    redis && config.RATE_LIMITS_ENABLED
      ? createRateLimits({ limits: config, redis, logger, health, metrics, probeIntervalMs: config.REDIS_PROBE_INTERVAL })
      : undefined;
  const quotas = config.QUOTAS_ENABLED && redis ? quotasFeature({ config, redis, clock, logger, metrics }) : undefined;
  const captcha = captchaFromConfig(config, redis, logger, metrics);
  const verify = accessTokenVerifierFromConfig({
    ...config,
    IDENTITY_JWKS_URL: config.IDENTITY_JWKS_URL ?? new URL('/.well-known/jwks.json', config.IDENTITY_URL).href,
  });
  const providerToken = providerTokenIntrospector({
    url: identityInternalUrl(PROVIDER_TOKEN_INTROSPECTION_PATH, config.IDENTITY_URL),
    cacheMs: config.PROVIDER_TOKEN_CACHE_TTL,
    now: () => clock().getTime(),
  });
  const publicRoute = publicRouteOf();
  return {
    http: {
      // Proxied requests match no Express route: they are labelled by the public API's templates.
      routeOf: (req: { originalUrl: string }) => publicRoute(req.originalUrl.split('?')[0] ?? ''),
      trustProxy: trustProxySetting(config.TRUST_PROXY),
      parseBodies: false,
      // Every answer, health checks and proxied ones included, carries the security headers; a page
      // that needs its own Content-Security-Policy (the API docs) sets it and replaces helmet's.
      // Referrer-Policy is pinned, not left to helmet's default: emailed links put single-use tokens
      // in the app's URLs (`/verify-email?token=`), and no answer may let a browser pass one on.
      early: [
        helmet({ referrerPolicy: { policy: 'no-referrer' } }),
        corsPolicy({
          origins: config.CORS_ORIGINS,
          credentials: config.CORS_CREDENTIALS,
          maxAgeMs: config.CORS_MAX_AGE,
          passThrough: isProviderPath,
        }),
      ],
    },
    features: [
      openApiFeature(),
      ...(quotas ? [quotas] : []),
      routingFeature({
        config,
        verify,
        providerToken,
        health,
        logger,
        limits: rateLimits?.middleware,
        checks: [...(quotas ? [quotas.middleware] : []), ...(captcha ? [captcha] : [])],
      }),
    ],
    // Serving goes on without it: only the month's usage record waits for Kafka.
    ...(quotas ? { consumer: { group: 'gateway', topics: [Topics.lifecycle], critical: false } } : {}),
    workers: [
      {
        name: 'redis',
        stop: () => {
          rateLimits?.shutdown();
          redis?.disconnect();
        },
      },
    ],
  };
}

export const main = serviceMain('gateway', GatewayConfig, createGatewayService);
