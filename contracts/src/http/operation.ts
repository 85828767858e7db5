import type { z } from 'zod';

/**
 * Every code a problem+json answer can carry, by the status it always comes with. The chassis's
 * AppError takes its codes from here, so a new code is added in this table.
 */
export const PROBLEM_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  captcha_failed: 400,
  token_malformed: 400,
  token_invalid: 400,
  token_expired: 400,
  token_used: 400,
  invalid_code: 400,
  /** A new password found in the Pwned Passwords corpus: refused like a policy rule, named apart so clients can say why. */
  password_breached: 400,
  /** A passkey's challenge that is unknown, used or expired: ask for new options. */
  passkey_challenge_invalid: 400,
  /** RFC 7591 §3.2.2: client metadata the provider cannot take (a redirect URI it refuses, a grant without its response type). */
  invalid_client_metadata: 400,
  /** RFC 6749 §5.2: the password grant is off (PASSWORD_GRANT_ENABLED=false); apps use the OpenID Connect code flow. */
  unsupported_grant_type: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  /** RFC 6750 §3.1: a provider-issued (OpenID Connect) access token whose scopes do not reach this operation. */
  insufficient_scope: 403,
  invite_required: 403,
  invite_mismatch: 403,
  /**
   * Too many failed sign-ins for one address from many clients: a CAPTCHA is required to go on.
   * Not 429, which the API reserves for the gateway's rate limits and their RateLimit headers.
   */
  captcha_required: 403,
  email_not_verified: 403,
  /** An admin disabled the account: every sign-in is refused until one enables it again. */
  account_disabled: 403,
  /** An admin action wants a sign-in (password, and second factor if on) within ADMIN_REAUTH_WINDOW. */
  reauthentication_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  /** The change would leave no active admin (revoking the role from, disabling or deleting the last one). */
  last_admin: 409,
  /** Only a job that failed can be retried: it is scheduled, running or done. */
  job_not_failed: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  quota_exceeded: 429,
  /** A second data export within a day of the last one (GDPR allows refusing manifestly excessive requests). */
  export_limit_reached: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
} as const;
export type ProblemCode = keyof typeof PROBLEM_STATUS;

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** none: public; bearer: an access token; admin: an access token with the admin role. */
export type Security = 'none' | 'bearer' | 'admin';

export interface ResponseSpec {
  description: string;
  /** JSON body; absent for an empty answer (204). */
  body?: z.ZodType;
  headers?: Record<string, { description: string; required?: boolean }>;
}

/**
 * One public operation, as the gateway publishes it under /v1. The OpenAPI document, the docs page
 * and the tests that check routes and responses against it are all derived from these entries.
 */
export interface Operation {
  operationId: string;
  method: HttpMethod;
  /** OpenAPI path template under /v1, e.g. `/users/me/sessions/{id}`; the service serves it without /v1. */
  path: string;
  /** Which service answers it behind the gateway; `gateway` for the few the gateway answers itself. */
  service: 'identity' | 'notification' | 'lifecycle' | 'gateway';
  summary: string;
  description?: string;
  tags: string[];
  security: Security;
  /** `json` for application/json; `form` for the OAuth2 application/x-www-form-urlencoded variant; `raw` for bodies read as bytes. */
  body?: { json?: z.ZodType; form?: z.ZodType; raw?: Record<string, z.ZodType>; required?: boolean };
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** Success (and non-problem) answers by status. */
  responses: Record<number, ResponseSpec>;
  /**
   * Problem codes this operation gives on its own. Those every operation of its kind gives (bad
   * body, missing token, rate limit, upstream failure) are added by the document builder.
   */
  errors?: ProblemCode[];
  /** The row of the gateway's rate-limit table that applies, if any, besides the default limit. */
  rateLimit?: string;
  /**
   * Scopes of which an access token from the OpenID Connect provider needs one to call this
   * operation (docs/oidc.md). Absent: such a token is refused with 403 `insufficient_scope`.
   */
  providerScopes?: readonly string[];
}

/** Keeps each entry's literal types while checking it against Operation. */
export const defineOperations = <const T extends readonly Operation[]>(list: T): T => list;
