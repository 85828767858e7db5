import { z } from 'zod';
import { checkPublicUrls, type NodeEnv } from '@solar/chassis';
import { html, type Markup } from '../views/html';

const PROVIDERS = ['recaptcha', 'hcaptcha', 'turnstile', 'none'] as const;
type Provider = Exclude<(typeof PROVIDERS)[number], 'none'>;

/** An empty variable (`CAPTCHA_SITE_KEY=` in an env file) means unset, as at the gateway. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

/** Spread into web's config: the same CAPTCHA_PROVIDER (and CAPTCHA_ACTION) as the gateway's, and the public half of its key. */
export const captchaWidgetConfigShape = {
  /** The gateway's provider: the widget on the waitlist page must be the one whose tokens the gateway checks. */
  CAPTCHA_PROVIDER: z.enum(PROVIDERS).default('none'),
  /** The provider's public site key (the gateway holds the secret one). Required with a provider. */
  CAPTCHA_SITE_KEY: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,128}$/, 'a site key as the provider shows it')
      .optional(),
  ),
  /** Where the widget's script is loaded from; default the provider's. Tests serve a stand-in. */
  CAPTCHA_SCRIPT_URL: unsetIfEmpty(z.url({ protocol: /^https?$/ }).optional()),
  /** Turnstile: the action the gateway's CAPTCHA_ACTION expects, named by the widget. */
  CAPTCHA_ACTION: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, dash and underscore, at most 32')
      .optional(),
  ),
};

interface WidgetConfig {
  NODE_ENV: NodeEnv;
  CAPTCHA_PROVIDER: (typeof PROVIDERS)[number];
  CAPTCHA_SITE_KEY?: string | undefined;
  CAPTCHA_SCRIPT_URL?: string | undefined;
  CAPTCHA_ACTION?: string | undefined;
}

export function checkCaptchaWidgetConfig(config: WidgetConfig, ctx: z.RefinementCtx): void {
  if (config.CAPTCHA_PROVIDER !== 'none' && !config.CAPTCHA_SITE_KEY)
    ctx.addIssue({ code: 'custom', path: ['CAPTCHA_SITE_KEY'], message: `is required with CAPTCHA_PROVIDER=${config.CAPTCHA_PROVIDER}` });
  if (config.CAPTCHA_SCRIPT_URL) checkPublicUrls(ctx, 'CAPTCHA_SCRIPT_URL', [config.CAPTCHA_SCRIPT_URL], config.NODE_ENV);
}

/**
 * What each provider's widget needs, from its documentation: the script, the element it fills, the
 * form field it puts the answer in, and the origins its script loads from and frames (its CSP advice).
 */
const PROVIDER_WIDGETS: Record<Provider, { script: string; className: string; field: string; origins: string[] }> = {
  recaptcha: {
    script: 'https://www.google.com/recaptcha/api.js',
    className: 'g-recaptcha',
    field: 'g-recaptcha-response',
    origins: ['https://www.google.com', 'https://www.gstatic.com', 'https://recaptcha.google.com'],
  },
  hcaptcha: {
    script: 'https://js.hcaptcha.com/1/api.js',
    className: 'h-captcha',
    field: 'h-captcha-response',
    origins: ['https://hcaptcha.com', 'https://*.hcaptcha.com'],
  },
  turnstile: {
    script: 'https://challenges.cloudflare.com/turnstile/v0/api.js',
    className: 'cf-turnstile',
    field: 'cf-turnstile-response',
    origins: ['https://challenges.cloudflare.com'],
  },
};

/** The configured provider's widget, or none: the waitlist page's only third-party content. */
export interface CaptchaWidget {
  /** The form field the provider's script fills with its answer. */
  field: string;
  /** The origins the page's CSP must admit for scripts, frames, styles and the script's own calls. */
  origins: string[];
  markup(locale: string): Markup;
}

export function captchaWidget(config: WidgetConfig): CaptchaWidget | null {
  if (config.CAPTCHA_PROVIDER === 'none' || !config.CAPTCHA_SITE_KEY) return null;
  const provider = PROVIDER_WIDGETS[config.CAPTCHA_PROVIDER];
  const script = new URL(config.CAPTCHA_SCRIPT_URL ?? provider.script);
  const siteKey = config.CAPTCHA_SITE_KEY;
  const action = config.CAPTCHA_PROVIDER === 'turnstile' ? config.CAPTCHA_ACTION : undefined;
  return {
    field: provider.field,
    origins: [...new Set([script.origin, ...provider.origins])],
    markup: (locale) => {
      // The providers read the widget's language from `hl` on their script (reCAPTCHA, hCaptcha) or `data-language` (Turnstile).
      const src = new URL(script);
      if (config.CAPTCHA_PROVIDER !== 'turnstile') src.searchParams.set('hl', locale);
      return html`<div class=${`captcha ${provider.className}`} data-sitekey=${siteKey} data-action=${action} data-language=${locale}></div>
        <script src=${src.href} async defer></script>`;
    },
  };
}
