import { z } from 'zod';
import {
  LOG_LEVEL,
  NODE_ENV,
  baseConfigShape,
  brandConfigShape,
  checkPublicUrls,
  duration,
  keyRing,
  proofKey,
  metricsConfigShape,
  port,
  telemetryConfigShape,
} from '@solar/chassis';
import { captchaWidgetConfigShape, checkCaptchaWidgetConfig } from './waitlist/captcha-widget';

export const WebConfig = z
  .object({
    NODE_ENV,
    LOG_LEVEL,
    PORT: port(3004),
    HOST: z.string().default('0.0.0.0'),
    ...metricsConfigShape,
    /** The public API the pages call, as any client would: the gateway's address, without /v1. */
    GATEWAY_URL: z.url().default('http://127.0.0.1:8080'),
    /**
     * The origin the browser sees the pages on (identity's APP_URL when the gateway serves them):
     * a POST from any other Origin is refused. Defaults to GATEWAY_URL outside production.
     */
    PUBLIC_URL: z.url().optional(),
    /**
     * Which hops' X-Forwarded-For to believe, as Express reads it: the gateway's. The address found
     * is forwarded to the API, so the gateway's per-IP limits count the person, not this service.
     */
    TRUST_PROXY: z.string().default('loopback'),
    /** Seals the browser session cookie (`<id>:<32 bytes of base64>`, newest first). Required in production; a random key per start otherwise. */
    WEB_SESSION_KEYS: keyRing.optional(),
    /** The longest a browser session lasts, signed in or not; identity's SESSION_MAX_AGE ends it sooner. */
    WEB_SESSION_MAX_AGE: duration('30d'),
    /** How long an emailed link's token waits in its cookie for the button on the page. */
    LINK_COOKIE_MAX_AGE: duration('15m'),
    /**
     * Signs the pages' password sign-ins for identity (its PAGES_SIGN_IN_KEY, the same value), which
     * takes no other while its PASSWORD_GRANT_ENABLED is false (docs/oidc.md).
     */
    PAGES_SIGN_IN_KEY: proofKey,
    /** How long a call to the API may take before the page says the service is unavailable. */
    API_TIMEOUT: duration('10s'),
    ...brandConfigShape,
    ...captchaWidgetConfigShape,
    SHUTDOWN_TIMEOUT: baseConfigShape.SHUTDOWN_TIMEOUT,
    ...telemetryConfigShape,
  })
  .superRefine((config, ctx) => {
    if (config.NODE_ENV === 'production' && !config.WEB_SESSION_KEYS)
      ctx.addIssue({ code: 'custom', path: ['WEB_SESSION_KEYS'], message: 'is required in production' });
    if (config.NODE_ENV === 'production' && !config.PUBLIC_URL)
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production' });
    if (config.PUBLIC_URL) checkPublicUrls(ctx, 'PUBLIC_URL', [config.PUBLIC_URL], config.NODE_ENV);
    checkCaptchaWidgetConfig(config, ctx);
  });
export type WebConfig = z.output<typeof WebConfig>;
