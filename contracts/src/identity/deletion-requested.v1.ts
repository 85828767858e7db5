import { z } from 'zod';
import { DeletionRequestId, EmailAddress, Timestamp, UserId } from '../fields';

export const DeletionRequestedV1 = z.object({
  userId: UserId,
  email: EmailAddress,
  deletionRequestId: DeletionRequestId,
  purgeAt: Timestamp.describe('When the grace period ends and the account is purged unless cancelled.'),
});
export type DeletionRequestedV1 = z.output<typeof DeletionRequestedV1>;
