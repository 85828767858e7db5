import { z } from 'zod';
import { Timestamp, UserId } from '../fields';

export const TwoFactorResetScheduledV1 = z.object({
  userId: UserId,
  effectiveAt: Timestamp.describe('From when a sign-in with the password turns two-factor off, unless the reset is cancelled first.'),
});
export type TwoFactorResetScheduledV1 = z.output<typeof TwoFactorResetScheduledV1>;
