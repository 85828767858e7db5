import { z } from 'zod';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/**
 * Only the type here: the rules (length, not the email, not a common password) are the password
 * policy's, applied by the use case with the bundled list. The body limit bounds the size.
 */
export const NewPassword = z.string();

/** `inviteToken` is the token from a waitlist invite link; required when REGISTRATION_MODE=waitlist, ignored otherwise. */
export const RegisterBody = z.object({ email: Email, password: NewPassword, inviteToken: z.string().min(1).max(256).optional() });
export type RegisterBody = z.infer<typeof RegisterBody>;
