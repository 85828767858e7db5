import { z } from 'zod';
import { EmailAddress, Timestamp, UserId, WaitlistEntryId } from '../fields';

export const WaitlistApprovedV1 = z.object({
  waitlistEntryId: WaitlistEntryId,
  email: EmailAddress,
  approvedBy: UserId.describe('User id of the admin who approved the entry.'),
  inviteExpiresAt: Timestamp.describe('When the invite (sent privately) stops being accepted.'),
});
export type WaitlistApprovedV1 = z.output<typeof WaitlistApprovedV1>;
