import type { Response } from 'express';
import type { z } from 'zod';
import { ERROR_STATUS, type AppError, type ErrorCode } from './app-error';

/** RFC 9457 problem details, with our stable `code` beside the standard members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

const TITLES: Record<ErrorCode, string> = {
  validation_failed: 'The request is not valid',
  malformed_json: 'The body is not valid JSON',
  captcha_failed: 'The CAPTCHA check failed',
  token_malformed: 'The token is malformed',
  token_invalid: 'The token is not valid',
  token_expired: 'The token has expired',
  token_used: 'The token has already been used',
  invalid_code: 'The code is not correct',
  password_breached: 'The password has appeared in a data breach',
  passkey_challenge_invalid: 'The passkey challenge is not valid',
  invalid_client_metadata: 'The client metadata is not valid',
  unsupported_grant_type: 'The password grant is not offered',
  unauthorized: 'Authentication is required',
  invalid_credentials: 'The credentials are not valid',
  forbidden: 'Not allowed',
  insufficient_scope: 'The access token does not reach this operation',
  invite_required: 'An invitation is required',
  invite_mismatch: 'The invitation is for another address',
  email_not_verified: 'The email address is not verified yet',
  account_disabled: 'The account is disabled',
  reauthentication_required: 'A recent sign-in is required',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflict',
  last_admin: 'The last admin cannot be removed',
  job_not_failed: 'The job has not failed',
  payload_too_large: 'The body is too large',
  unsupported_media_type: 'Unsupported media type',
  account_locked: 'The account is locked',
  captcha_required: 'A CAPTCHA is required',
  rate_limited: 'Too many requests',
  quota_exceeded: 'The monthly quota is used up',
  export_limit_reached: 'A data export was already made today',
  internal_error: 'Internal error',
  bad_gateway: 'An upstream service failed',
  service_unavailable: 'Service unavailable',
  gateway_timeout: 'An upstream service timed out',
};

export function problemOf(code: ErrorCode, detail: string, extensions: Record<string, unknown> = {}): Problem {
  // Extensions come first so that none can replace a standard member (an extension named `status`
  // once turned a 409 into a 500).
  return {
    ...extensions,
    type: `urn:solar-accounts:problem:${code}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
  };
}

export function problemFromError(error: AppError): Problem {
  return problemOf(error.code, error.message, error.extensions);
}

/** Zod issues as a list a client can map to form fields; received values are never echoed back. */
export function validationProblem(error: z.ZodError): Problem {
  const errors = error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
  return problemOf('validation_failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

export function sendProblem(res: Response, problem: Problem): void {
  // A problem that says when to come back (rate limits, lockouts) says it in the standard header too.
  // A caller that already said why (RFC 6750 `error="invalid_token"`) keeps its challenge.
  if (problem.status === 401 && !res.hasHeader('www-authenticate')) res.setHeader('www-authenticate', 'Bearer realm="solar-accounts"');
  if (typeof problem.retryAfterSeconds === 'number')
    res.setHeader('retry-after', String(Math.max(1, Math.ceil(problem.retryAfterSeconds))));
  res.status(problem.status).type('application/problem+json').json(problem);
}
