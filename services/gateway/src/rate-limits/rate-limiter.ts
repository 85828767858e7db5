import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type AugmentedRequest } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { problemOf, sendProblem, type Health, type Logger, type Metrics } from '@solar/chassis';
import { FallbackStore, SharedStoreState } from './fallback-store';
import { pingRedis, redisStore } from './rate-limit-store';
import { oauthClientOf } from './oauth-client';
import { DEFAULT_RATE_LIMIT_RULE, RATE_LIMIT_RULES, rulesFor, type LimitKey, type LimitSpec, type RateLimitVariable } from './rate-limits';

/**
 * The client a request counts against. Per-user rows key on the verified subject of the access token
 * (the caller the JWT check found), so a user who signs in again or rotates tokens keeps one bucket;
 * a request without a verified caller counts against its address. Addresses come from `req.ip`,
 * which honours X-Forwarded-For only behind a hop TRUST_PROXY trusts; IPv6 clients count per /56, as
 * they usually hold a whole prefix.
 */
export function clientKey(req: Pick<Request, 'ip' | 'caller'> & Partial<Pick<Request, 'headers' | 'bufferedBody'>>, key: LimitKey): string {
  if (key === 'user' && req.caller) return `user:${req.caller.userId}`;
  const client = key === 'client' ? oauthClientOf({ headers: req.headers ?? {}, bufferedBody: req.bufferedBody }) : undefined;
  if (client !== undefined) return `client:${client}`;
  return `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
}

export interface RateLimits {
  middleware: RequestHandler;
  state: SharedStoreState;
  shutdown(): void;
}

/**
 * One limiter per row of the table (own Redis prefix, own window), chosen by path, and a default
 * limiter for every other /v1 route. Each request counts against exactly one of them.
 */
export function createRateLimits(options: {
  limits: Record<RateLimitVariable, LimitSpec>;
  redis: Redis;
  logger: Logger;
  health: Health;
  probeIntervalMs: number;
  metrics: Metrics;
  keyPrefix?: string;
}): RateLimits {
  const { limits, redis, logger, metrics } = options;
  const state = new SharedStoreState({ probe: () => pingRedis(redis), logger, probeIntervalMs: options.probeIntervalMs });
  const refused = metrics.counter({
    name: 'solar_gateway_rate_limited_total',
    help: 'Requests refused with 429 by a rate limit, by the row of the limits table',
    labelNames: ['limit'],
  });
  // The counts readiness reports, read at scrape time: the state keeps them, the registry only shows them.
  metrics.counter({
    name: 'solar_gateway_redis_outages_total',
    help: 'Times Redis became unusable and the rate limits switched to per-instance counting',
    collect() {
      this.reset();
      this.inc(state.outages);
    },
  });
  metrics.counter({
    name: 'solar_gateway_rate_limit_fallbacks_total',
    help: "Requests counted in this instance's memory because Redis could not be used",
    collect() {
      this.reset();
      this.inc(state.fallbacks);
    },
  });
  metrics.gauge({
    name: 'solar_gateway_rate_limits_shared',
    help: '1 while the rate limits are counted in Redis (shared by every replica), 0 while counted per instance',
    collect() {
      this.set(state.mode === 'shared' ? 1 : 0);
    },
  });
  const stores: FallbackStore[] = [];
  const limiters = new Map<string, RequestHandler>();
  for (const rule of [...RATE_LIMIT_RULES, DEFAULT_RATE_LIMIT_RULE]) {
    const spec = limits[rule.variable];
    const prefix = `${options.keyPrefix ?? 'rl:'}${rule.name}:`;
    const store = new FallbackStore(redisStore(redis, prefix), state, prefix);
    stores.push(store);
    limiters.set(
      rule.name,
      rateLimit({
        windowMs: spec.windowMs,
        limit: spec.limit,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        identifier: rule.name,
        skipSuccessfulRequests: 'failuresOnly' in rule && rule.failuresOnly,
        store,
        keyGenerator: (req) => clientKey(req, rule.key),
        handler: (req, res) => {
          refused.inc({ limit: rule.name });
          const resetTime = (req as AugmentedRequest).rateLimit?.resetTime;
          const retryAfterSeconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1_000)) : spec.windowMs / 1_000;
          const detail = `Too many ${rule.name} requests: at most ${spec.limit} per ${spec.windowMs / 1_000} s`;
          // The provider's endpoints speak OAuth: its libraries show `error` and `error_description` of any
          // JSON error (RFC 6749 §5.2 has no code for this; §8.5 lets us name one), ours read the problem.
          const oauth = rule.path.startsWith('/oauth2/') ? { error: 'rate_limited', error_description: detail } : {};
          sendProblem(res, { ...problemOf('rate_limited', detail, { retryAfterSeconds, ...oauth }), instance: req.originalUrl });
        },
      }),
    );
  }

  // Not critical: the gateway keeps serving with per-instance limits when Redis is gone. The check
  // itself answers so that readiness detail always tells which mode the limits are in.
  options.health.register(
    'redis',
    async () => {
      await state.recover();
      return {
        mode: state.mode,
        outages: state.outages,
        fallbacks: state.fallbacks,
        ...(state.lastError ? { lastError: state.lastError } : {}),
      };
    },
    { critical: false },
  );

  return {
    state,
    middleware: (req, res, next) => {
      // Mounted on /v1 (paths under it) and on the provider's paths, which keep their mount path.
      const path = req.baseUrl.toLowerCase() === '/v1' ? req.path : `${req.baseUrl}${req.path}`;
      const chain = rulesFor(path).map((rule) => limiters.get(rule.name)!);
      const run = (index: number): void => {
        const limiter = chain[index];
        if (!limiter) return next();
        limiter(req, res, (error?: unknown) => (error ? next(error) : run(index + 1)));
      };
      run(0);
    },
    shutdown: () => stores.forEach((store) => store.shutdown()),
  };
}
