import { z } from 'zod';
import { EmailAddress, IpAddress, Timestamp, UserId } from '../fields';

export const AccountLockedV1 = z.object({
  userId: UserId,
  email: EmailAddress,
  lockedUntil: Timestamp.describe('When sign-in is allowed again.'),
  failedAttempts: z.number().int().min(1).describe('Failures in a row that caused the lock.'),
  ip: IpAddress.optional().describe('Client IP of the attempt that caused the lock.'),
});
export type AccountLockedV1 = z.output<typeof AccountLockedV1>;
