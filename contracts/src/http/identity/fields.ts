import { z } from 'zod';

/** An address as a client may send it: trimmed and lower-cased before it is checked. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }))
  // The pipe's input is a plain string: the document says what it must become.
  .meta({ format: 'email', description: 'Trimmed and lower-cased before it is checked.' });

/** The password policy's length bounds, in characters (code points), which is how JSON Schema counts too. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * Only documented here, not checked: identity's password policy applies every rule (length, not the
 * email, not a common password), counting code points where zod's min/max would count UTF-16 units.
 * The document states the lengths so that clients (and the fuzzer) know them.
 */
export const NewPassword = z.string().meta({
  minLength: PASSWORD_MIN_LENGTH,
  maxLength: PASSWORD_MAX_LENGTH,
  description: 'Checked by the password policy: length, not the email, not a common password.',
});

/** A one-time token from an emailed link. */
export const EmailedToken = z.string().min(1).max(256);
