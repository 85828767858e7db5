import { z } from 'zod';
import { EmailAddress, UserId } from '../fields';

export const EmailSuppressionRemovedV1 = z.object({
  email: EmailAddress.describe('The address taken off the suppression list, lower-cased.'),
  removedBy: UserId.describe('The admin who removed it.'),
  suppressedFor: z.enum(['hard_bounce', 'complaint', 'manual']).describe('Why the address had been suppressed.'),
});
export type EmailSuppressionRemovedV1 = z.output<typeof EmailSuppressionRemovedV1>;
