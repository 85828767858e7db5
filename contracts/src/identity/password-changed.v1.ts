import { z } from 'zod';
import { UserId } from '../fields';

export const PasswordChangedV1 = z.object({
  userId: UserId,
  via: z
    .enum(['change', 'reset'])
    .describe("'change': change-password with the current password; 'reset': reset-password with an emailed token."),
  sessionsRevoked: z.boolean().describe("Whether the user's other sessions were signed out."),
});
export type PasswordChangedV1 = z.output<typeof PasswordChangedV1>;
