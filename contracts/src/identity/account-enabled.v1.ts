import { z } from 'zod';
import { UserId } from '../fields';

export const AccountEnabledV1 = z.object({
  userId: UserId,
  enabledBy: UserId.describe('The admin who enabled the account again.'),
});
export type AccountEnabledV1 = z.output<typeof AccountEnabledV1>;
