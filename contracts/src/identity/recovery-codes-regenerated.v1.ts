import { z } from 'zod';
import { UserId } from '../fields';

export const RecoveryCodesRegeneratedV1 = z.object({
  userId: UserId,
  codes: z.number().int().min(1).describe('How many new recovery codes replaced the old ones (the codes themselves are never published).'),
});
export type RecoveryCodesRegeneratedV1 = z.output<typeof RecoveryCodesRegeneratedV1>;
