import { z } from 'zod';
import { EmailAddress, IpAddress, UserAgent, UserId } from '../fields';

export const PasswordResetRequestedV1 = z.object({
  email: EmailAddress.describe('The address the reset was requested for.'),
  userId: UserId.optional().describe('Absent when no account has that address (the API answers the same either way).'),
  ip: IpAddress.optional(),
  userAgent: UserAgent.optional(),
});
export type PasswordResetRequestedV1 = z.output<typeof PasswordResetRequestedV1>;
