import { z } from 'zod';
import { IpAddress, SessionId, UserAgent, UserId } from '../fields';

export const LoginSucceededV1 = z.object({
  userId: UserId,
  sessionId: SessionId.describe('The session the login opened.'),
  factors: z
    .array(z.enum(['password', 'totp', 'recovery_code']))
    .min(1)
    .describe('Factors the user presented.'),
  ip: IpAddress.optional(),
  userAgent: UserAgent.optional(),
});
export type LoginSucceededV1 = z.output<typeof LoginSucceededV1>;
