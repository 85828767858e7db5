import { PROBLEM_STATUS } from '@solar/contracts';

/**
 * Every failure a client can cause has a stable code; the code alone decides the HTTP status. The
 * table is the API contract's, so the OpenAPI document and the answers cannot disagree.
 */
export const ERROR_STATUS = PROBLEM_STATUS;

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
