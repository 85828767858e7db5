import type { EmailFailureReason } from '@solar/contracts';

export type SendFailureReason = Extract<EmailFailureReason, 'rejected' | 'invalid_recipient' | 'provider_unavailable'>;

/**
 * Why one send attempt failed, already sorted into the two classes delivery acts on: permanent (the
 * same request can never succeed: no retry) or transient (worth retrying with backoff).
 */
export class SendFailure extends Error {
  readonly reason: SendFailureReason;

  constructor(
    readonly permanent: boolean,
    reason: SendFailureReason,
    detail: string,
    /** HTTP status, SMTP reply code or error code, for logs and tests. */
    readonly code?: number | string,
  ) {
    super(summarise(detail));
    this.name = 'SendFailure';
    this.reason = reason;
  }
}

// Statuses that a later identical request may get past: a timeout on the provider's side or a rate limit.
const RETRYABLE_CLIENT_STATUSES = new Set([408, 429]);

/** An HTTP provider's answer with an error status (SendGrid, SES, Mailgun). */
export function failureFromHttp(status: number, detail: string): SendFailure {
  const text = `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status >= 500 || RETRYABLE_CLIENT_STATUSES.has(status)) return new SendFailure(false, 'provider_unavailable', text, status);
  if (status >= 400) return new SendFailure(true, aboutRecipient(detail) ? 'invalid_recipient' : 'rejected', text, status);
  // A redirect or other surprise: the API base URL is probably wrong, which retrying does not fix soon.
  return new SendFailure(true, 'rejected', `unexpected ${text}`, status);
}

/** An SMTP reply: 5xx is a final refusal, 4xx asks to try again later (RFC 5321 §4.2.1). */
export function failureFromSmtp(replyCode: number, detail: string): SendFailure {
  const text = `SMTP ${replyCode}${detail ? `: ${detail}` : ''}`;
  if (replyCode >= 500) {
    // Enhanced status 5.1.x is about the address itself (RFC 3463): unknown mailbox, bad syntax.
    const recipient = /\b5\.1\.\d{1,3}\b/.test(detail) || aboutRecipient(detail);
    return new SendFailure(true, recipient ? 'invalid_recipient' : 'rejected', text, replyCode);
  }
  return new SendFailure(false, 'provider_unavailable', text, replyCode);
}

// Connection-level failures: the provider was not reached or did not finish answering.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  // nodemailer's own codes for the same situations
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError', 'RequestTimeout']);

/**
 * Anything else a send threw. Timeouts and connection errors are transient; so is what cannot be
 * recognised, since the retries are bounded and end on the dead-letter topic where a person looks.
 */
export function failureFromError(error: unknown): SendFailure {
  if (error instanceof SendFailure) return error;
  for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = cause as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof name === 'string' && TIMEOUT_NAMES.has(name)) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown value's message, of whatever type it has
      return new SendFailure(false, 'provider_unavailable', `timed out: ${String(message ?? name)}`, name);
    }
    if (typeof code === 'string' && NETWORK_CODES.has(code)) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a thrown value's message, of whatever type it has
      return new SendFailure(false, 'provider_unavailable', `${code}: ${String(message ?? '')}`, code);
    }
  }
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new SendFailure(false, 'provider_unavailable', text);
}

function aboutRecipient(detail: string): boolean {
  return /recipient|mailbox|personalizations\.\d+\.to|\bto'? parameter|user unknown|no such user|ToAddresses/i.test(detail);
}

// EmailFailed.detail must never carry a recipient; providers quote addresses in their errors.
function summarise(detail: string): string {
  return detail
    .replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}
