import { z } from 'zod';
import { EmailAddress, UserId, WaitlistEntryId } from '../fields';

export const WaitlistRejectedV1 = z.object({
  waitlistEntryId: WaitlistEntryId,
  email: EmailAddress,
  rejectedBy: UserId.describe('User id of the admin who rejected the entry.'),
});
export type WaitlistRejectedV1 = z.output<typeof WaitlistRejectedV1>;
