import { z } from 'zod';
import {
  LOG_LEVEL,
  NODE_ENV,
  accessTokenConfigShape,
  checkPublicUrls,
  baseConfigShape,
  booleanFlag,
  commaList,
  duration,
  metricsConfigShape,
  port,
  telemetryConfigShape,
} from '@solar/chassis';
import { captchaConfigShape, checkCaptchaConfig } from './captcha/captcha-config';
import { corsConfigShape } from './http/cors-policy';
import { quotaConfigShape } from './quotas/quota-config';
import { rateLimitConfigShape } from './rate-limits/rate-limits';

export const GatewayConfig = z
  .object({
    NODE_ENV,
    LOG_LEVEL,
    GATEWAY_PORT: port(8080),
    HOST: z.string().default('0.0.0.0'),
    ...metricsConfigShape,
    IDENTITY_URL: z.url().default('http://127.0.0.1:3001'),
    NOTIFICATION_URL: z.url().default('http://127.0.0.1:3002'),
    /** Answers the admin job and report routes (/v1/admin/jobs, /v1/admin/reports). */
    LIFECYCLE_URL: z.url().default('http://127.0.0.1:3003'),
    /**
     * The web service (account pages): every path outside /v1, /openapi.json, /docs and the health
     * checks goes there, so the links in emails (APP_URL pointing at this gateway) open its pages.
     * Unset: those paths answer 404.
     */
    WEB_URL: z.url().optional(),
    ...accessTokenConfigShape,
    /** Identity's key set; by default identity's own address (IDENTITY_URL) serves it. */
    IDENTITY_JWKS_URL: accessTokenConfigShape.IDENTITY_JWKS_URL.unwrap().optional(),
    /**
     * How long identity's answer about a live access token of the OpenID Connect provider is reused
     * for the same token: a revoked token (or one whose session ended) is refused within this.
     */
    PROVIDER_TOKEN_CACHE_TTL: duration('5s'),
    /** How long an upstream may take before the client gets 504. */
    UPSTREAM_TIMEOUT: duration('10s'),
    TRUST_PROXY: z.string().default('loopback'),
    /** Bodies announced larger than this are refused here, before they reach a service. */
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(102_400),
    WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
    SHUTDOWN_TIMEOUT: duration('20s'),
    /** Off only for tests and local experiments: the limits are the gateway's abuse protection. */
    RATE_LIMITS_ENABLED: booleanFlag(true),
    /** Where the limits are counted, shared by every replica. Required while limits are on. */
    REDIS_URL: z.preprocess(
      // An empty variable (a compose file's `REDIS_URL: ""`) means unset.
      (value) => (value === '' ? undefined : value),
      z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
        .optional(),
    ),
    /** During a Redis outage, how often (at most) a request probes whether Redis answers again. */
    REDIS_PROBE_INTERVAL: duration('5s'),
    ...rateLimitConfigShape,
    ...captchaConfigShape,
    ...corsConfigShape,
    ...quotaConfigShape,
    /** Kafka carries lifecycle's MonthlyQuotaResetDue; required while QUOTAS_ENABLED is true. */
    KAFKA_BROKERS: commaList.optional(),
    KAFKA_CLIENT_ID: baseConfigShape.KAFKA_CLIENT_ID,
    KAFKA_TOPIC_PREFIX: baseConfigShape.KAFKA_TOPIC_PREFIX,
    ...telemetryConfigShape,
  })
  .superRefine((config, ctx) => {
    checkCaptchaConfig(config, ctx);
    // Browser origins are public: an http one in production would let a page on the path call the API with CORS.
    checkPublicUrls(ctx, 'CORS_ORIGINS', config.CORS_ORIGINS, config.NODE_ENV);
    if (config.QUOTAS_ENABLED && !config.REDIS_URL)
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required while QUOTAS_ENABLED is true' });
    if (config.QUOTAS_ENABLED && !config.KAFKA_BROKERS)
      ctx.addIssue({ code: 'custom', path: ['KAFKA_BROKERS'], message: 'is required while QUOTAS_ENABLED is true' });
    // Limits without Redis would silently be per instance from the first request: fail at start instead.
    if (config.RATE_LIMITS_ENABLED && !config.REDIS_URL)
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required while RATE_LIMITS_ENABLED is true' });
  });
export type GatewayConfig = z.output<typeof GatewayConfig>;
