import { z } from 'zod';
import { UserId } from '../fields';
import { EmailProvider } from './email-template';
import { EmailRequestId, TemplateName } from './email-sent.v1';

export const EmailFailureReason = z.enum([
  'suppressed',
  'invalid_recipient',
  'rejected',
  'bounced',
  'provider_unavailable',
  'rendering_failed',
]);
export type EmailFailureReason = z.output<typeof EmailFailureReason>;

export const EmailFailedV1 = z.object({
  emailRequestId: EmailRequestId,
  template: TemplateName,
  userId: UserId.optional(),
  provider: EmailProvider.optional().describe('Absent when no provider was tried (suppressed, rendering_failed).'),
  reason: EmailFailureReason.describe(
    'suppressed: recipient on the suppression list; invalid_recipient; rejected: refused by the provider; bounced; provider_unavailable: retries exhausted; rendering_failed: template or variables unusable.',
  ),
  permanent: z.boolean().describe('True when retrying the same request cannot succeed.'),
  attempts: z.number().int().min(0).describe('Send attempts made.'),
  detail: z.string().max(500).optional().describe('Provider error summary; never the email body or recipient.'),
});
export type EmailFailedV1 = z.output<typeof EmailFailedV1>;
