import { z } from 'zod';
import { UserId } from '../fields';

export const TwoFactorDisabledV1 = z.object({
  userId: UserId,
  method: z.literal('totp'),
});
export type TwoFactorDisabledV1 = z.output<typeof TwoFactorDisabledV1>;
