import { z } from 'zod';
import { UserId } from '../fields';

export const AccountDisabledV1 = z.object({
  userId: UserId,
  disabledBy: UserId.describe('The admin who disabled the account.'),
});
export type AccountDisabledV1 = z.output<typeof AccountDisabledV1>;
