import { z } from 'zod';
import { DeletionRequestId, UserId } from '../fields';

export const DeletionCancelledV1 = z.object({
  userId: UserId,
  deletionRequestId: DeletionRequestId.describe('The deletion request that was cancelled.'),
});
export type DeletionCancelledV1 = z.output<typeof DeletionCancelledV1>;
