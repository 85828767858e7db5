import { z } from 'zod';
import { defineOperations, type Operation } from '../operation';

/*
 * Bounce and complaint reports the email providers post. Each schema is the envelope the service
 * checks once the signature holds; the events inside are the provider's own format, and those we do
 * not act on are skipped, not refused.
 */

/** SendGrid Event Webhook: a JSON array of events, signed with ECDSA in two headers. */
export const SendgridPayload = z.array(z.unknown());

/** Mailgun webhook: one event, HMAC-signed in its `signature` block. */
export const MailgunPayload = z.object({
  signature: z.object({ timestamp: z.string(), token: z.string(), signature: z.string() }),
  'event-data': z.unknown(),
});

/** An Amazon SNS message carrying an SES notification (SNS posts it as text/plain). */
export const SnsMessage = z.object({
  Type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  MessageId: z.string().min(1),
  TopicArn: z.string().min(1),
  Message: z.string(),
  Timestamp: z.string().min(1),
  SignatureVersion: z.enum(['1', '2']),
  Signature: z.string().min(1),
  SigningCertURL: z.string().min(1),
  Subject: z.string().optional(),
  SubscribeURL: z.string().optional(),
  Token: z.string().optional(),
});
export type SnsMessage = z.output<typeof SnsMessage>;

const MailEventsRecorded = z.object({
  recorded: z.number().int().min(0).describe('Events not seen before.'),
  suppressed: z.number().int().min(0).describe('Addresses put on the suppression list.'),
});
export const WebhookResult = z.union([
  MailEventsRecorded,
  z.object({ confirmed: z.literal(true) }),
  z.object({ ignored: z.string().describe('The SNS message type that needs nothing done.') }),
]);
export type WebhookResult = z.infer<typeof WebhookResult>;

const webhook = (provider: string, body: Operation['body'], extra: Partial<Operation> = {}): Operation => ({
  operationId: `${provider}Webhook`,
  method: 'post',
  path: `/webhooks/email/${provider}`,
  service: 'notification',
  summary: `Bounce and complaint reports from ${provider === 'ses' ? 'Amazon SES (through SNS)' : provider}`,
  description: 'Exists only when the provider’s webhook credential is configured; the body is read raw for the signature check.',
  tags: ['webhooks'],
  security: 'none',
  body,
  responses: { 200: { description: 'Recorded (or confirmed, or nothing to do).', body: WebhookResult } },
  // 404 where the provider is not configured.
  errors: ['unauthorized', 'validation_failed', 'not_found'],
  ...extra,
});

export const webhookOperations = defineOperations([
  webhook('sendgrid', { raw: { 'application/json': SendgridPayload } }),
  webhook('mailgun', { raw: { 'application/json': MailgunPayload } }),
  webhook(
    'ses',
    { raw: { 'text/plain': SnsMessage, 'application/json': SnsMessage } },
    { errors: ['unauthorized', 'not_found', 'bad_gateway', 'service_unavailable'] },
  ),
]);
