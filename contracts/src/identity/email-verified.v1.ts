import { z } from 'zod';
import { EmailAddress, UserId } from '../fields';

export const EmailVerifiedV1 = z.object({
  userId: UserId,
  email: EmailAddress.describe('The address that was verified.'),
});
export type EmailVerifiedV1 = z.output<typeof EmailVerifiedV1>;
