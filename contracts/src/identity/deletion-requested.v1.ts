import { z } from 'zod';
import { DeletionReason, DeletionRequestId, EmailAddress, Timestamp, UserId } from '../fields';

export const DeletionRequestedV1 = z.object({
  userId: UserId,
  email: EmailAddress,
  deletionRequestId: DeletionRequestId,
  purgeAt: Timestamp.describe('When the grace period ends and the account is purged unless cancelled.'),
  // Optional so v1 stays compatible; absent means `requested`. An inactivity request is cancelled by a sign-in.
  reason: DeletionReason.exclude(['unverified']).optional(),
});
export type DeletionRequestedV1 = z.output<typeof DeletionRequestedV1>;
