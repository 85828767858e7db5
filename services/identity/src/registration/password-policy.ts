import { AppError } from '@solar/chassis';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@solar/contracts';

export type PasswordRule = 'too_short' | 'too_long' | 'is_email' | 'common';

/** Messages name the rule, never the password. */
const MESSAGES: Record<PasswordRule, string> = {
  too_short: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
  too_long: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
  is_email: 'must not be your email address or its name part',
  common: 'is one of the most commonly used passwords; choose another',
};

/** The first rule a new password breaks, or null if it meets them all. */
export function brokenRule(password: string, context: { email: string | null; common: ReadonlySet<string> }): PasswordRule | null {
  // Code points, not UTF-16 units: an emoji is one character to the person typing it.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'too_short';
  if (length > PASSWORD_MAX_LENGTH) return 'too_long';
  const lowered = password.toLowerCase();
  if (context.email !== null) {
    const email = context.email.toLowerCase();
    const localPart = email.slice(0, email.lastIndexOf('@'));
    if (lowered === email || lowered === localPart) return 'is_email';
  }
  if (context.common.has(lowered)) return 'common';
  return null;
}

/** The rules every new password meets: on registration, reset and change. */
export class PasswordPolicy {
  private readonly common: ReadonlySet<string>;

  /** `common`: the bundled list (see loadCommonPasswords); compared lowercase. */
  constructor(common: Iterable<string>) {
    this.common = new Set([...common].map((password) => password.toLowerCase()));
  }

  /**
   * Throws a 400 validation problem with the same field-error shape as a zod failure, so clients
   * handle both alike. `field` is the body member that carried the password; `email` is null while
   * the owner is not yet known (a reset before its token is looked up).
   */
  enforce(password: string, input: { email: string | null; field: string }): void {
    const rule = brokenRule(password, { email: input.email, common: this.common });
    if (rule) throw passwordRefused(input.field, MESSAGES[rule]);
  }
}

export function passwordRefused(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { errors: [{ path: field, message }] });
}
