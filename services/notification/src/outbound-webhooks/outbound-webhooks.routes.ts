import type { RequestHandler, Router } from 'express';
import {
  CreateWebhookBody,
  ReplayWebhookBody,
  RotateWebhookSecretBody,
  UpdateWebhookBody,
  WebhookDeliveryQuery,
  WebhookParams,
  type CreatedWebhookEndpoint,
  type ReplayScheduled,
  type TestEventSent,
  type WebhookDeliveryList,
  type WebhookEndpoint,
  type WebhookEndpointList,
  type WebhookSecret,
} from '@solar/contracts';
import type { createEndpoint, deleteEndpoint, rotateSecret, updateEndpoint } from './manage-endpoints.use-case';
import { found } from './manage-endpoints.use-case';
import type { replayWindow, sendTestEvent } from './queue-events.use-case';
import type { WebhookDeliveryRepository, DeliveryRecord } from './webhook-delivery.repository';
import type { WebhookEndpointRecord, WebhookEndpointRepository } from './webhook-endpoint.repository';

export interface OutboundWebhookRouteDeps {
  requireAdmin: RequestHandler;
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  create: ReturnType<typeof createEndpoint>;
  update: ReturnType<typeof updateEndpoint>;
  remove: ReturnType<typeof deleteEndpoint>;
  rotate: ReturnType<typeof rotateSecret>;
  replay: ReturnType<typeof replayWindow>;
  test: ReturnType<typeof sendTestEvent>;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

function endpointBody(endpoint: WebhookEndpointRecord): WebhookEndpoint {
  return {
    id: endpoint._id,
    url: endpoint.url,
    eventTypes: endpoint.eventTypes,
    description: endpoint.description,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    failingSince: iso(endpoint.failingSince),
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

function deliveryBody(delivery: DeliveryRecord): WebhookDeliveryList['items'][number] {
  return {
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    subject: delivery.subject,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
    lastAttemptAt: iso(delivery.lastAttemptAt),
    lastStatus: delivery.lastStatus,
    lastResponse: delivery.lastResponse,
    createdAt: delivery.createdAt.toISOString(),
    deliveredAt: iso(delivery.deliveredAt),
  };
}

/** Admin only: integrators' webhook endpoints, their delivery logs, replays and secrets. */
export function outboundWebhookRoutes(router: Router, deps: OutboundWebhookRouteDeps): void {
  const admin = deps.requireAdmin;
  router.post('/admin/webhooks', admin, async (req, res) => {
    const { endpoint, secret } = await deps.create(CreateWebhookBody.parse(req.body));
    res
      .status(201)
      .set('cache-control', 'no-store')
      .json({ ...endpointBody(endpoint), secret } satisfies CreatedWebhookEndpoint);
  });
  router.get('/admin/webhooks', admin, async (_req, res) => {
    res.json({ items: (await deps.endpoints.list()).map(endpointBody) } satisfies WebhookEndpointList);
  });
  router.get('/admin/webhooks/:id', admin, async (req, res) => {
    const { id } = WebhookParams.parse(req.params);
    res.json(endpointBody(found(await deps.endpoints.find(id))));
  });
  router.patch('/admin/webhooks/:id', admin, async (req, res) => {
    const { id } = WebhookParams.parse(req.params);
    res.json(endpointBody(await deps.update(id, UpdateWebhookBody.parse(req.body))));
  });
  router.delete('/admin/webhooks/:id', admin, async (req, res) => {
    await deps.remove(WebhookParams.parse(req.params).id);
    res.status(204).end();
  });
  router.post('/admin/webhooks/:id/test', admin, async (req, res) => {
    const eventId = await deps.test(WebhookParams.parse(req.params).id);
    res.status(202).json({ eventId } satisfies TestEventSent);
  });
  router.get('/admin/webhooks/:id/deliveries', admin, async (req, res) => {
    const { id } = WebhookParams.parse(req.params);
    const query = WebhookDeliveryQuery.parse(req.query);
    found(await deps.endpoints.find(id));
    const items = await deps.deliveries.log(id, query.status, query.limit);
    res.json({ items: items.map(deliveryBody) } satisfies WebhookDeliveryList);
  });
  router.post('/admin/webhooks/:id/replay', admin, async (req, res) => {
    const { id } = WebhookParams.parse(req.params);
    const body = ReplayWebhookBody.parse(req.body);
    const scheduled = await deps.replay(id, new Date(body.from), new Date(body.to));
    res.status(202).json({ scheduled } satisfies ReplayScheduled);
  });
  router.post('/admin/webhooks/:id/rotate-secret', admin, async (req, res) => {
    const { id } = WebhookParams.parse(req.params);
    const { overlapSeconds } = RotateWebhookSecretBody.parse(req.body ?? {});
    const rotated = await deps.rotate(id, overlapSeconds * 1000);
    res
      .set('cache-control', 'no-store')
      .json({ secret: rotated.secret, previousSecretExpiresAt: iso(rotated.previousSecretExpiresAt) } satisfies WebhookSecret);
  });
}
