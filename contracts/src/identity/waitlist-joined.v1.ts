import { z } from 'zod';
import { EmailAddress, WaitlistEntryId } from '../fields';

export const WaitlistJoinedV1 = z.object({
  waitlistEntryId: WaitlistEntryId,
  email: EmailAddress,
});
export type WaitlistJoinedV1 = z.output<typeof WaitlistJoinedV1>;
