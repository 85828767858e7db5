import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@solar/contracts';
import type { Translate } from '../i18n/locale';
import type { ApiProblem } from './gateway-client';

/** When to try again, rounded up to what a person reads: seconds under two minutes, then minutes, then hours. */
export function retrySentence(seconds: number | undefined, t: Translate): string {
  if (seconds === undefined) return t('retry.later');
  if (seconds < 120) return t('retry.seconds', { n: Math.max(1, Math.ceil(seconds)) });
  if (seconds < 2 * 3600) return t('retry.minutes', { n: Math.ceil(seconds / 60) });
  return t('retry.hours', { n: Math.ceil(seconds / 3600) });
}

/** Codes whose answer says when the refusal ends. */
const TIMED = new Set(['rate_limited', 'quota_exceeded', 'account_locked', 'captcha_required']);

/** The sentence a person reads for an API problem: its code's message and, for a refusal that ends, when. */
export function problemSentence(problem: ApiProblem, t: Translate): string {
  const sentence = t(`problem.${problem.code}`);
  return TIMED.has(problem.code) ? `${sentence} ${retrySentence(problem.retryAfterSeconds, t)}` : sentence;
}

/** A refusal whose field errors say what to change: a rule of the request's shape, or a new password found in a breach. */
export const hasFieldErrors = (problem: ApiProblem): boolean =>
  problem.code === 'validation_failed' || problem.code === 'password_breached';

/**
 * The API's field errors in the page's language, by field. Identity's password policy and the
 * contract's schemas write English sentences; the ones the pages can meet are recognised and
 * translated, any other is shown as it came rather than hidden.
 */
export function fieldErrors(problem: ApiProblem, t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const { path, message } of problem.errors) {
    if (errors[path] === undefined) errors[path] = fieldMessage(message, t);
  }
  return errors;
}

const KNOWN: [RegExp, (t: Translate) => string][] = [
  [/at least \d+ characters/, (t) => t('password.too_short', { min: PASSWORD_MIN_LENGTH })],
  [/at most \d+ characters/, (t) => t('password.too_long', { max: PASSWORD_MAX_LENGTH })],
  [/email address or its name part/, (t) => t('password.is_email')],
  [/commonly used passwords/, (t) => t('password.common')],
  [/appeared in a data breach/, (t) => t('password.breached')],
  [/must be an email address/, (t) => t('form.emailInvalid')],
  [/6-digit code/, (t) => t('form.codeInvalid')],
];

function fieldMessage(message: string, t: Translate): string {
  const known = KNOWN.find(([pattern]) => pattern.test(message));
  return known ? known[1](t) : message;
}
