import { z } from 'zod';
import { EmailAddress, IpAddress, UserAgent, UserId } from '../fields';

export const LoginFailureReason = z.enum(['unknown_user', 'bad_password', 'bad_second_factor', 'invalid_mfa_token', 'locked']);
export type LoginFailureReason = z.output<typeof LoginFailureReason>;

export const LoginFailedV1 = z.object({
  // Optional: a second-factor attempt with an unknown or expired mfa_token names no account.
  email: EmailAddress.optional().describe('The address the client tried to sign in as.'),
  userId: UserId.optional().describe('Absent when no account matched.'),
  reason: LoginFailureReason.describe(
    'unknown_user: no account; bad_password; bad_second_factor: wrong TOTP or recovery code; invalid_mfa_token: unknown, used or expired mfa_token; locked: account locked, password not checked.',
  ),
  consecutiveFailures: z.number().int().min(1).optional().describe("The account's failures in a row, this one included."),
  ip: IpAddress.optional(),
  userAgent: UserAgent.optional(),
});
export type LoginFailedV1 = z.output<typeof LoginFailedV1>;
