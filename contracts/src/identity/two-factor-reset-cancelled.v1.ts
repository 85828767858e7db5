import { z } from 'zod';
import { UserId } from '../fields';

export const TwoFactorResetCancelledV1 = z.object({ userId: UserId });
export type TwoFactorResetCancelledV1 = z.output<typeof TwoFactorResetCancelledV1>;
