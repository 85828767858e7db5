import { z } from 'zod';
import { DeletionRequestId, UserId } from '../fields';

export const DeletionGracePeriodExpiredV1 = z.object({
  userId: UserId,
  deletionRequestId: DeletionRequestId.describe('Identity purges only if this request is still pending.'),
});
export type DeletionGracePeriodExpiredV1 = z.output<typeof DeletionGracePeriodExpiredV1>;
