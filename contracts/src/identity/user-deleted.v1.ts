import { z } from 'zod';
import { DeletionReason, DeletionRequestId, EmailAddress, LanguageTag, UserId } from '../fields';

export const UserDeletedV1 = z.object({
  userId: UserId,
  email: EmailAddress.describe('The deleted address, so consumers can erase records keyed by email.'),
  deletionRequestId: DeletionRequestId.describe(
    'The deletion request that was carried out; for an unverified account no request was made and identity gives the removal an id of its own.',
  ),
  // Optional so producers and consumers of v1 before it stay compatible; absent means `requested`.
  reason: DeletionReason.optional(),
  // Optional for the same reason; absent means English. Notification writes the farewell email in it.
  locale: LanguageTag.optional().describe("The deleted account's locale, for the last email notification sends it."),
});
export type UserDeletedV1 = z.output<typeof UserDeletedV1>;
