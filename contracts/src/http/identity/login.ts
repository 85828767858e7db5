import { z } from 'zod';
import { defineOperations } from '../operation';
import { Email } from './fields';

export const LoginBody = z.object({
  email: Email,
  // No policy on sign-in: passwords set under an older policy must still work. The cap bounds the work.
  password: z.string().min(1).max(1024),
  captchaToken: z
    .string()
    .max(4096)
    .optional()
    .describe(
      'Only after 403 captcha_required: the token of a solved CAPTCHA, which the gateway verifies (400 captcha_failed if it fails) and identity then ignores. Omit it otherwise.',
    ),
});

/**
 * The OAuth2 password form (RFC 6749 §4.3), which names the address `username`. Identity reads the
 * two fields as they come and checks them as LoginBody's, so this documents the form without
 * changing which errors a bad one gets.
 */
export const LoginForm = z.object({
  grant_type: z.literal('password').optional(),
  username: z.unknown().meta({ type: 'string', format: 'email' }),
  password: z.unknown().meta({ type: 'string' }),
});

const RefreshToken = z.string().min(1).max(512);
export const RefreshBody = z.object({ refresh_token: RefreshToken });
/** The OAuth2 refresh form (RFC 6749 §6). */
export const RefreshForm = z.object({ grant_type: z.literal('refresh_token'), refresh_token: RefreshToken });
export const LogoutBody = z
  .object({ all: z.boolean().default(false).describe('Also end every other session of the account.') })
  .default({ all: false });

/** The OAuth2 token response (RFC 6749 §5.1). */
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().positive().describe('Seconds until the access token expires.'),
  refresh_token: z.string(),
  password_breached: z
    .literal(true)
    .optional()
    .describe(
      'On a sign-in whose password is known from data breaches: ask the user for a new one (also `passwordBreached` on /users/me).',
    ),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** The answer to a correct password when the account has two-factor on (OAuth2-style snake case, like the token response). */
export const MfaRequiredResponse = z.object({
  mfa_required: z.literal(true),
  mfa_token: z.string().describe('Send with a code to POST /auth/login/2fa within 5 minutes; at most 5 attempts.'),
});
export type MfaRequiredResponse = z.infer<typeof MfaRequiredResponse>;

export const tokens = { description: 'Signed in: an access token and a refresh token.', body: TokenResponse };

export const loginOperations = defineOperations([
  {
    operationId: 'login',
    method: 'post',
    path: '/auth/login',
    service: 'identity',
    summary: 'Sign in with email and password',
    description:
      'JSON `{email, password}` or the OAuth2 password form (`username`, `password`). 403 `captcha_required`: too many failed sign-ins for the address from many clients; where the gateway has a CAPTCHA provider, solve one and send its token as `captchaToken` in the JSON body (verified by the gateway: 400 `captcha_failed` if it fails, 503 if the provider cannot be asked), otherwise wait for `Retry-After`.',
    tags: ['auth'],
    security: 'none',
    body: { json: LoginBody, form: LoginForm },
    responses: {
      200: {
        description: 'Signed in; or, when the account has two-factor on, a challenge to answer at POST /auth/login/2fa.',
        body: z.union([TokenResponse, MfaRequiredResponse]),
      },
    },
    // captcha_failed and 503: the gateway's check of a captchaToken.
    errors: [
      'invalid_credentials',
      'account_locked',
      'account_disabled',
      'captcha_required',
      'captcha_failed',
      'service_unavailable',
      'unsupported_grant_type',
    ],
    rateLimit: 'login',
  },
  {
    operationId: 'refreshToken',
    method: 'post',
    path: '/auth/token/refresh',
    service: 'identity',
    summary: 'Exchange a refresh token for new tokens',
    description:
      'Each refresh token works once; presenting a used one ends its whole session, except the one just exchanged, which within REFRESH_REUSE_GRACE gets 409 and leaves the session alone.',
    tags: ['auth'],
    security: 'none',
    body: { json: RefreshBody, form: RefreshForm },
    responses: { 200: tokens },
    errors: ['unauthorized', 'account_disabled', 'conflict'],
  },
  {
    operationId: 'logout',
    method: 'post',
    path: '/auth/logout',
    service: 'identity',
    summary: 'End this session, or all of them',
    tags: ['auth'],
    security: 'bearer',
    body: { json: LogoutBody, required: false },
    responses: { 204: { description: 'Signed out.' } },
  },
]);
