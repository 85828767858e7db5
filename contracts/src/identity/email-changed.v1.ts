import { z } from 'zod';
import { EmailAddress, UserId } from '../fields';

export const EmailChangedV1 = z.object({
  userId: UserId,
  previousEmail: EmailAddress.describe('The address the account had before.'),
  email: EmailAddress.describe('The address the account has now.'),
  via: z
    .enum(['change', 'undo'])
    .describe(
      "'change': the owner confirmed a new address with the link sent to it; 'undo': the link sent to the previous address restored it (every session ended, a new password is required).",
    ),
});
export type EmailChangedV1 = z.output<typeof EmailChangedV1>;
