import { z } from 'zod';
import { IpAddress, SessionId, UserAgent, UserId } from '../fields';

export const LoginSucceededV1 = z.object({
  userId: UserId,
  sessionId: SessionId.describe('The session the login opened.'),
  factors: z
    .array(z.enum(['password', 'totp', 'recovery_code', 'passkey']))
    .min(1)
    .describe('Factors the user presented; `passkey` alone is a sign-in with a passkey (WebAuthn) and nothing else.'),
  ip: IpAddress.optional(),
  userAgent: UserAgent.optional(),
});
export type LoginSucceededV1 = z.output<typeof LoginSucceededV1>;
