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

/**
 * Only the type here: the rules (length, not the email, not a common password) are the password
 * policy's, applied by identity's use case with the bundled list. The body limit bounds the size.
 */
export const NewPassword = z.string().describe('Checked by the password policy: length, not the email, not a common password.');

/** A one-time token from an emailed link. */
export const EmailedToken = z.string().min(1).max(256);
