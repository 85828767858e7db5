import { z } from 'zod';
import { IpAddress, SessionId, UserAgent, UserId } from '../fields';

export const RefreshTokenReusedV1 = z.object({
  userId: UserId,
  sessionId: SessionId.describe('The session whose already-rotated refresh token was presented; it is revoked.'),
  ip: IpAddress.optional(),
  userAgent: UserAgent.optional(),
});
export type RefreshTokenReusedV1 = z.output<typeof RefreshTokenReusedV1>;
