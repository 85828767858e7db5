import { z } from 'zod';
import { parseDuration } from '@solar/chassis';

/** How many requests a client may make in a window. */
export interface LimitSpec {
  limit: number;
  windowMs: number;
}

/**
 * `ip`: one bucket per client address. `user`: one bucket per verified caller (the access token's
 * subject), falling back to the address when there is none. `client`: one bucket per OAuth client
 * the request names (HTTP Basic user, or the form's `client_id`), falling back to the address.
 */
export type LimitKey = 'ip' | 'user' | 'client';

export interface RateLimitRule {
  name: string;
  /** Path under /v1, lower case, without a trailing slash; the provider's paths (outside /v1) start with `/oauth2/`. */
  path: string;
  key: LimitKey;
  variable: string;
  fallback: string;
  /**
   * Only refused requests (status 400 or more) count: guessing fails, an app's own traffic does
   * not, so a busy app is never throttled by its successes. Such a path meets the default row too.
   */
  failuresOnly?: boolean;
}

/** The design brief's table. Every limit is an environment variable, so operators tune it without a release. */
export const RATE_LIMIT_RULES = [
  { name: 'login', path: '/auth/login', key: 'ip', variable: 'RATE_LIMIT_LOGIN', fallback: '5/1m' },
  { name: 'login-2fa', path: '/auth/login/2fa', key: 'ip', variable: 'RATE_LIMIT_LOGIN_2FA', fallback: '10/1m' },
  // Each options request stores a challenge until it expires: this bounds what a script can make identity keep.
  {
    name: 'passkey-options',
    path: '/auth/passkeys/authentication/options',
    key: 'ip',
    variable: 'RATE_LIMIT_PASSKEY_OPTIONS',
    fallback: '20/1m',
  },
  {
    name: 'passkey-sign-in',
    path: '/auth/passkeys/authentication/verify',
    key: 'ip',
    variable: 'RATE_LIMIT_PASSKEY_SIGN_IN',
    fallback: '10/1m',
  },
  // One emailed link per correct password already (the request spends the mfa_token); this bounds the mail a script can cause.
  { name: 'two-factor-reset', path: '/auth/login/2fa/reset', key: 'ip', variable: 'RATE_LIMIT_TWO_FACTOR_RESET', fallback: '3/1h' },
  {
    name: 'two-factor-reset-confirm',
    path: '/auth/2fa/reset/confirm',
    key: 'ip',
    variable: 'RATE_LIMIT_TWO_FACTOR_RESET_CONFIRM',
    fallback: '10/1h',
  },
  { name: 'register', path: '/auth/register', key: 'ip', variable: 'RATE_LIMIT_REGISTER', fallback: '3/1h' },
  {
    name: 'request-password-reset',
    path: '/auth/request-password-reset',
    key: 'ip',
    variable: 'RATE_LIMIT_REQUEST_PASSWORD_RESET',
    fallback: '3/1h',
  },
  { name: 'reset-password', path: '/auth/reset-password', key: 'ip', variable: 'RATE_LIMIT_RESET_PASSWORD', fallback: '10/1h' },
  // Each request emails an address the caller chose: bounded like a reset request, per account.
  {
    name: 'request-email-change',
    path: '/auth/request-email-change',
    key: 'user',
    variable: 'RATE_LIMIT_REQUEST_EMAIL_CHANGE',
    fallback: '3/1h',
  },
  {
    name: 'confirm-email-change',
    path: '/auth/confirm-email-change',
    key: 'ip',
    variable: 'RATE_LIMIT_CONFIRM_EMAIL_CHANGE',
    fallback: '10/1h',
  },
  { name: 'undo-email-change', path: '/auth/undo-email-change', key: 'ip', variable: 'RATE_LIMIT_UNDO_EMAIL_CHANGE', fallback: '10/1h' },
  {
    name: 'send-verification',
    path: '/auth/send-verification',
    key: 'user',
    variable: 'RATE_LIMIT_SEND_VERIFICATION',
    fallback: '5/1d',
  },
  { name: 'verify-email', path: '/auth/verify-email', key: 'ip', variable: 'RATE_LIMIT_VERIFY_EMAIL', fallback: '10/1h' },
  { name: 'request-deletion', path: '/auth/request-deletion', key: 'user', variable: 'RATE_LIMIT_REQUEST_DELETION', fallback: '3/1d' },
  { name: 'cancel-deletion', path: '/auth/cancel-deletion', key: 'user', variable: 'RATE_LIMIT_CANCEL_DELETION', fallback: '10/1d' },
  // Tokens guessed from one address; a person downloads once per emailed link.
  {
    name: 'data-export-download',
    path: '/data-exports/download',
    key: 'ip',
    variable: 'RATE_LIMIT_DATA_EXPORT_DOWNLOAD',
    fallback: '10/1h',
  },
  { name: 'waitlist-join', path: '/waitlist/join', key: 'ip', variable: 'RATE_LIMIT_WAITLIST_JOIN', fallback: '1/1h' },
  // The provider's token endpoint: client secrets, codes and refresh tokens guessed from one address,
  // or against one client from many (which would also lock that client out: failures only, so its own
  // good requests never do).
  {
    name: 'oauth-token',
    path: '/oauth2/token',
    key: 'ip',
    variable: 'RATE_LIMIT_OAUTH_TOKEN',
    fallback: '20/1m',
    failuresOnly: true,
  },
  {
    name: 'oauth-token-client',
    path: '/oauth2/token',
    key: 'client',
    variable: 'RATE_LIMIT_OAUTH_TOKEN_CLIENT',
    fallback: '60/1m',
    failuresOnly: true,
  },
] as const satisfies readonly RateLimitRule[];

/** Every other /v1 route: generous for a person, a ceiling for a script. */
export const DEFAULT_RATE_LIMIT_RULE = {
  name: 'default',
  path: '*',
  key: 'ip',
  variable: 'RATE_LIMIT_DEFAULT',
  fallback: '300/1m',
} as const satisfies RateLimitRule;

export type RateLimitVariable = (typeof RATE_LIMIT_RULES)[number]['variable'] | (typeof DEFAULT_RATE_LIMIT_RULE)['variable'];

/** `<count>/<duration>`, such as `5/1m`, `3/1h`, `10/1d` or `5/2s` (durations as everywhere else in config). */
export function parseLimitSpec(text: string): LimitSpec | null {
  const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  if (!match) return null;
  const limit = Number(match[1]);
  const windowMs = parseDuration(match[2]!);
  if (!Number.isSafeInteger(limit) || limit < 1 || windowMs === null || windowMs < 1_000) return null;
  return { limit, windowMs };
}

export const limitSpec = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx): LimitSpec => {
      const spec = parseLimitSpec(text);
      if (!spec) {
        ctx.addIssue({
          code: 'custom',
          message: `"${text}" is not a limit such as 5/1m, 3/1h or 10/1d (at least 1 request per 1s or more)`,
        });
        return z.NEVER;
      }
      return spec;
    });

/** One variable per row of the table, plus RATE_LIMIT_DEFAULT, for the gateway's config schema. */
export const rateLimitConfigShape = Object.fromEntries(
  [...RATE_LIMIT_RULES, DEFAULT_RATE_LIMIT_RULE].map((rule) => [rule.variable, limitSpec(rule.fallback)]),
) as Record<RateLimitVariable, ReturnType<typeof limitSpec>>;

/**
 * The rows a request to `path` (under /v1, or the provider's path) counts against: its own, and the
 * default row when it has none or they count only failures. Express and the services match paths
 * case-insensitively and tolerate a trailing slash, so the lookup does too: `/AUTH/Login/` must
 * not escape login's limit.
 */
export function rulesFor(path: string): RateLimitRule[] {
  const normalised = path.toLowerCase().replace(/\/+$/, '');
  const rows: RateLimitRule[] = RATE_LIMIT_RULES.filter((rule) => rule.path === normalised);
  return rows.every((rule) => rule.failuresOnly) ? [...rows, DEFAULT_RATE_LIMIT_RULE] : rows;
}
