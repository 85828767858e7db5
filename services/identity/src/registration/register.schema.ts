import { z } from 'zod';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'must be an email address' }));

/** Length only here; the common-password list and the not-your-email rule come with the full policy. */
export const NewPassword = z.string().min(8, 'must be at least 8 characters').max(128, 'must be at most 128 characters');

export const RegisterBody = z.object({ email: Email, password: NewPassword });
export type RegisterBody = z.infer<typeof RegisterBody>;
