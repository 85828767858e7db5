import { z } from 'zod';
import { EmailAddress, UserId } from '../fields';
import { EmailTemplate } from './email-template';

/** Private: variables may hold links with tokens, so this event never leaves its topic. */
export const EmailRequestedV1 = z.object({
  template: EmailTemplate,
  to: EmailAddress.describe('Recipient address.'),
  locale: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
    .default('en')
    .describe('BCP 47 language tag; templates fall back to English.'),
  variables: z.record(z.string(), z.string()).describe('Template variables, e.g. a verification link.'),
  userId: UserId.optional().describe('The user the email is about, so notification can erase it on UserDeleted.'),
});
export type EmailRequestedV1 = z.output<typeof EmailRequestedV1>;
