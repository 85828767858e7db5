import { z } from 'zod';
import { EmailAddress, UserId, WaitlistEntryId } from '../fields';

export const UserRegisteredV1 = z.object({
  userId: UserId,
  email: EmailAddress,
  roles: z.array(z.string().min(1)).describe("Roles granted at registration, e.g. ['user'] or ['user', 'admin']."),
  registrationMode: z.enum(['open', 'waitlist']).describe('REGISTRATION_MODE in force when the user registered.'),
  waitlistEntryId: WaitlistEntryId.optional().describe('The waitlist entry whose invite was used, in waitlist mode.'),
});
export type UserRegisteredV1 = z.output<typeof UserRegisteredV1>;
