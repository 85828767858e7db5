import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

const EventTypeName = z
  .string()
  .min(1)
  .max(100)
  .describe('A public event type, by short name (`UserRegistered`) as in docs/events.md; private types are refused.');

const WebhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe(
    'Where events are POSTed. Refused when it resolves to a loopback, private, link-local, unique-local or metadata address (checked again at each delivery).',
  );

export const CreateWebhookBody = z.object({
  url: WebhookUrl,
  eventTypes: z.array(EventTypeName).min(1).max(100),
  description: z.string().trim().max(500).default(''),
});

export const UpdateWebhookBody = z
  .object({
    url: WebhookUrl.optional(),
    eventTypes: z.array(EventTypeName).min(1).max(100).optional(),
    description: z.string().trim().max(500).optional(),
    enabled: z.boolean().optional().describe('false disables the endpoint; true enables it again and clears its failure streak.'),
  })
  .describe('Only the fields given change.');

export const WebhookParams = z.object({ id: z.string().min(1).max(64) });

export const WebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string(),
  enabled: z.boolean(),
  disabledReason: z.enum(['admin', 'failing']).nullable(),
  failingSince: IsoTime.nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookEndpointList = z.object({ items: z.array(WebhookEndpoint) });
export type WebhookEndpointList = z.infer<typeof WebhookEndpointList>;

export const WebhookSecret = z.object({
  secret: z.string().describe('`whsec_` and base64: shown this once, for the receiver to verify signatures with.'),
  previousSecretExpiresAt: IsoTime.nullable().describe('Until when the previous secret still signs too (after a rotation).'),
});

export const CreatedWebhookEndpoint = WebhookEndpoint.extend({ secret: WebhookSecret.shape.secret });
export type CreatedWebhookEndpoint = z.infer<typeof CreatedWebhookEndpoint>;
export type WebhookSecret = z.infer<typeof WebhookSecret>;

export const RotateWebhookSecretBody = z.object({
  overlapSeconds: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(86_400)
    .describe('How long the previous secret keeps signing beside the new one.'),
});

export const WebhookDelivery = z.object({
  eventId: z.string().describe('Also the `webhook-id` header: repeats of an event carry the same.'),
  eventType: z.string(),
  subject: z.string(),
  status: z.enum(['pending', 'delivered', 'dead']),
  attempts: z.number().int().min(0),
  nextAttemptAt: IsoTime.nullable(),
  lastAttemptAt: IsoTime.nullable(),
  lastStatus: z.number().int().nullable().describe('HTTP status of the last answer; null when none came (timeout, refused).'),
  lastResponse: z.string().nullable().describe('The first bytes of the last answer, or why there was none.'),
  createdAt: IsoTime,
  deliveredAt: IsoTime.nullable(),
});
export const WebhookDeliveryQuery = z.object({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const WebhookDeliveryList = z.object({ items: z.array(WebhookDelivery) });
export type WebhookDeliveryList = z.infer<typeof WebhookDeliveryList>;

export const ReplayWebhookBody = z.object({
  from: IsoTime,
  to: IsoTime,
});
export const ReplayScheduled = z.object({ scheduled: z.number().int().min(0) });
export type ReplayScheduled = z.infer<typeof ReplayScheduled>;

export const TestEventSent = z.object({ eventId: z.string() });
export type TestEventSent = z.infer<typeof TestEventSent>;

const base = { service: 'notification', tags: ['admin'] as string[], security: 'admin' } as const;
const byId = { ...base, params: WebhookParams } as const;

export const eventWebhookOperations = defineOperations([
  {
    ...base,
    operationId: 'createWebhook',
    method: 'post',
    path: '/admin/webhooks',
    summary: 'Register a webhook endpoint for public events',
    body: { json: CreateWebhookBody },
    responses: { 201: { description: 'Registered; the signing secret is shown this once.', body: CreatedWebhookEndpoint } },
    errors: ['validation_failed'],
  },
  {
    ...base,
    operationId: 'listWebhooks',
    method: 'get',
    path: '/admin/webhooks',
    summary: 'Webhook endpoints, newest first',
    responses: { 200: { description: 'Every endpoint.', body: WebhookEndpointList } },
  },
  {
    ...byId,
    operationId: 'getWebhook',
    method: 'get',
    path: '/admin/webhooks/{id}',
    summary: 'One webhook endpoint',
    responses: { 200: { description: 'The endpoint.', body: WebhookEndpoint } },
    errors: ['not_found'],
  },
  {
    ...byId,
    operationId: 'updateWebhook',
    method: 'patch',
    path: '/admin/webhooks/{id}',
    summary: 'Change, disable or enable a webhook endpoint',
    body: { json: UpdateWebhookBody },
    responses: { 200: { description: 'The endpoint as it is now.', body: WebhookEndpoint } },
    errors: ['validation_failed', 'not_found'],
  },
  {
    ...byId,
    operationId: 'deleteWebhook',
    method: 'delete',
    path: '/admin/webhooks/{id}',
    summary: 'Delete a webhook endpoint and its delivery log',
    responses: { 204: { description: 'Deleted.' } },
    errors: ['not_found'],
  },
  {
    ...byId,
    operationId: 'sendWebhookTest',
    method: 'post',
    path: '/admin/webhooks/{id}/test',
    summary: 'Queue a test event (WebhookTest) for the endpoint',
    responses: { 202: { description: 'Queued; it appears in the delivery log.', body: TestEventSent } },
    errors: ['not_found'],
  },
  {
    ...byId,
    operationId: 'listWebhookDeliveries',
    method: 'get',
    path: '/admin/webhooks/{id}/deliveries',
    summary: "The endpoint's delivery log, newest first",
    query: WebhookDeliveryQuery,
    responses: { 200: { description: 'Deliveries, without payloads.', body: WebhookDeliveryList } },
    errors: ['validation_failed', 'not_found'],
  },
  {
    ...byId,
    operationId: 'replayWebhook',
    method: 'post',
    path: '/admin/webhooks/{id}/replay',
    summary: 'Deliver again the events of a time window',
    description: 'Events are kept for WEBHOOK_EVENT_RETENTION; each is sent again with its own id as `webhook-id`.',
    body: { json: ReplayWebhookBody },
    responses: { 202: { description: 'How many events were queued.', body: ReplayScheduled } },
    errors: ['validation_failed', 'not_found'],
  },
  {
    ...byId,
    operationId: 'rotateWebhookSecret',
    method: 'post',
    path: '/admin/webhooks/{id}/rotate-secret',
    summary: 'Issue a new signing secret; the previous one keeps signing for an overlap',
    body: { json: RotateWebhookSecretBody, required: false },
    responses: { 200: { description: 'The new secret, shown this once.', body: WebhookSecret } },
    errors: ['validation_failed', 'not_found'],
  },
]);
