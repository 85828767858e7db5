import { z } from 'zod';
import { booleanFlag, proofKey, commaList, duration, unsetIfEmpty } from '@solar/chassis';

const CAPTCHA_PROVIDERS = ['recaptcha', 'hcaptcha', 'turnstile', 'none'] as const;
export type CaptchaProvider = (typeof CAPTCHA_PROVIDERS)[number];

/** Each provider's documented siteverify endpoint; all three take the same form (secret, response, remoteip). */
export const SITEVERIFY_URLS: Record<Exclude<CaptchaProvider, 'none'>, string> = {
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
};

/** Spread into the gateway's config schema; `checkCaptchaConfig` adds the rules across variables. */
export const captchaConfigShape = {
  CAPTCHA_PROVIDER: z.enum(CAPTCHA_PROVIDERS).default('none'),
  CAPTCHA_SECRET: unsetIfEmpty(z.string().min(1).optional()),
  /** Default: the provider's documented siteverify URL. Tests and proxies point it elsewhere. */
  CAPTCHA_VERIFY_URL: unsetIfEmpty(z.url({ protocol: /^https?$/ }).optional()),
  /** Whether register needs a CAPTCHA too (waitlist/join always does while a provider is set). */
  CAPTCHA_ON_REGISTER: booleanFlag(false),
  /** Let requests through when the provider cannot be asked. Off: an outage there closes sign-ups rather than opening them to bots. */
  CAPTCHA_FAIL_OPEN: booleanFlag(false),
  CAPTCHA_TIMEOUT: duration('5s'),
  /**
   * Hostnames of the pages that show the CAPTCHA (comma-separated): a passing token solved anywhere else is refused.
   * Required in production while a provider is set; unset elsewhere, the hostname is not checked.
   */
  CAPTCHA_HOSTNAMES: unsetIfEmpty(
    commaList
      .pipe(
        z
          .array(
            z
              .string()
              .regex(/^[A-Za-z0-9.-]+$/, 'hostnames only, no scheme, port or path')
              .toLowerCase(),
          )
          .min(1),
      )
      .optional(),
  ),
  /**
   * reCAPTCHA v3 and Turnstile: the action the pages name when they ask for a token (one for every guarded form);
   * a passing token for another action, or none, is refused. Leave unset for reCAPTCHA v2 and hCaptcha, which report none.
   */
  CAPTCHA_ACTION: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, dash and underscore, at most 32')
      .optional(),
  ),
  /**
   * The key shared with identity (its CAPTCHA_PROOF_KEY) that signs the proof of a sign-in's verified
   * CAPTCHA. Required in production while a provider is set; unset elsewhere, sign-ins take no CAPTCHA.
   */
  CAPTCHA_PROOF_KEY: proofKey,
  /** Production refuses CAPTCHA_PROVIDER=none unless this says it is meant. */
  CAPTCHA_ALLOW_NONE: booleanFlag(false),
};

export function checkCaptchaConfig(
  config: {
    NODE_ENV: string;
    CAPTCHA_PROVIDER: CaptchaProvider;
    CAPTCHA_SECRET?: string | undefined;
    CAPTCHA_ALLOW_NONE: boolean;
    CAPTCHA_HOSTNAMES?: string[] | undefined;
    CAPTCHA_PROOF_KEY?: string | undefined;
    REDIS_URL?: string | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  if (config.CAPTCHA_PROVIDER === 'none') {
    if (config.NODE_ENV === 'production' && !config.CAPTCHA_ALLOW_NONE)
      ctx.addIssue({
        code: 'custom',
        path: ['CAPTCHA_PROVIDER'],
        message: 'must be recaptcha, hcaptcha or turnstile in production (set CAPTCHA_ALLOW_NONE=true to run without a CAPTCHA on purpose)',
      });
    return;
  }
  if (!config.CAPTCHA_SECRET)
    ctx.addIssue({ code: 'custom', path: ['CAPTCHA_SECRET'], message: `is required while CAPTCHA_PROVIDER is ${config.CAPTCHA_PROVIDER}` });
  // Single use is enforced here as well as at the provider, and that memory is shared by every replica.
  // Without it a token solved on any site that uses our site key (or a copy of it) would pass.
  if (config.NODE_ENV === 'production' && !config.CAPTCHA_HOSTNAMES)
    ctx.addIssue({
      code: 'custom',
      path: ['CAPTCHA_HOSTNAMES'],
      message: `is required in production while CAPTCHA_PROVIDER is ${config.CAPTCHA_PROVIDER}: the hostnames of the pages that show it`,
    });
  // Without it the owner of an address under a spread attack has no way in until the window ends.
  if (config.NODE_ENV === 'production' && !config.CAPTCHA_PROOF_KEY)
    ctx.addIssue({
      code: 'custom',
      path: ['CAPTCHA_PROOF_KEY'],
      message: `is required in production while CAPTCHA_PROVIDER is ${config.CAPTCHA_PROVIDER}: the key identity's CAPTCHA_PROOF_KEY shares`,
    });
  if (!config.REDIS_URL) ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required while a CAPTCHA_PROVIDER is set' });
}
