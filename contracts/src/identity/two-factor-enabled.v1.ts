import { z } from 'zod';
import { UserId } from '../fields';

export const TwoFactorEnabledV1 = z.object({
  userId: UserId,
  method: z.literal('totp'),
});
export type TwoFactorEnabledV1 = z.output<typeof TwoFactorEnabledV1>;
