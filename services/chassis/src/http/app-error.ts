/** Every failure a client can cause has a stable code; the code alone decides the HTTP status. */
export const ERROR_STATUS = {
  validation_failed: 400,
  malformed_json: 400,
  captcha_failed: 400,
  token_malformed: 400,
  token_invalid: 400,
  token_expired: 400,
  token_used: 400,
  invalid_code: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  invite_required: 403,
  invite_mismatch: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  account_locked: 423,
  rate_limited: 429,
  quota_exceeded: 429,
  internal_error: 500,
  bad_gateway: 502,
  service_unavailable: 503,
  gateway_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}
