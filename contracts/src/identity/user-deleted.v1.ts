import { z } from 'zod';
import { DeletionRequestId, EmailAddress, UserId } from '../fields';

export const UserDeletedV1 = z.object({
  userId: UserId,
  email: EmailAddress.describe('The deleted address, so consumers can erase records keyed by email.'),
  deletionRequestId: DeletionRequestId.describe('The deletion request that was carried out.'),
});
export type UserDeletedV1 = z.output<typeof UserDeletedV1>;
