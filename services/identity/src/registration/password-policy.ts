import { AppError } from '@solar/chassis';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '@solar/contracts';
import type { BreachLookup } from './pwned-passwords';

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

  /**
   * `common`: the bundled list (see loadCommonPasswords); compared lowercase. `lookup`: the Pwned
   * Passwords range API when configured; while it cannot answer, the bundled list stands alone.
   */
  constructor(
    common: Iterable<string>,
    private readonly lookup: ((password: string) => Promise<BreachLookup>) | null = null,
  ) {
    this.common = new Set([...common].map((password) => password.toLowerCase()));
  }

  /**
   * Every rule, the breach service's last: a password the offline rules refuse never costs a lookup.
   * Throws a 400 problem with the same field-error shape as a zod failure, so clients handle both
   * alike. `field` is the body member that carried the password; `email` is null while the owner is
   * not yet known (a reset before its token is looked up).
   */
  async enforce(password: string, input: { email: string | null; field: string }): Promise<void> {
    this.enforceOffline(password, input);
    if ((await this.lookup?.(password)) === 'breached') throw passwordBreached(input.field);
  }

  /** The rules that need no service, for where the owner's address is learnt inside a write (a reset's redemption). */
  enforceOffline(password: string, input: { email: string | null; field: string }): void {
    const rule = brokenRule(password, { email: input.email, common: this.common });
    if (rule) throw passwordRefused(input.field, MESSAGES[rule]);
  }

  /** At sign-in: whether a password already in use is known to attackers, from the bundled list or the service. */
  async isExposed(password: string): Promise<boolean> {
    if (this.common.has(password.toLowerCase())) return true;
    return (await this.lookup?.(password)) === 'breached';
  }
}

export function passwordRefused(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field}: ${message}`, { errors: [{ path: field, message }] });
}

/** Its own code, so a client can tell "in a breach" from a mistyped rule; the field error is there too for forms. */
function passwordBreached(field: string): AppError {
  const message = 'has appeared in a data breach and is known to attackers; choose another';
  return new AppError('password_breached', `${field}: ${message}`, { errors: [{ path: field, message }] });
}
