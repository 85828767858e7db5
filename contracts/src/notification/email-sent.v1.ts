import { z } from 'zod';
import { UserId } from '../fields';
import { EmailProvider } from './email-template';

export const EmailRequestId = z.string().min(1).describe('ce id of the EmailRequested event this delivery answers.');

// A plain string, not the template enum: a template added later must not break consumers of v1.
export const TemplateName = z.string().min(1).describe('Template of the requested email, e.g. verify-email.');

export const EmailSentV1 = z.object({
  emailRequestId: EmailRequestId,
  template: TemplateName,
  userId: UserId.optional(),
  provider: EmailProvider,
  providerMessageId: z.string().min(1).describe("The provider's id for the message (SMTP: the Message-ID)."),
  attempts: z.number().int().min(1).describe('Send attempts, this successful one included.'),
});
export type EmailSentV1 = z.output<typeof EmailSentV1>;
