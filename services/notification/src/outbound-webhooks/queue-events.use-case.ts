import { randomUUID } from 'node:crypto';
import { eventNameOf, type AnyCloudEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { found } from './manage-endpoints.use-case';
import { isPublicEventType, TEST_EVENT_TYPE } from './public-event-types';
import type { WebhookDeliveryRepository } from './webhook-delivery.repository';
import type { WebhookEndpointRepository } from './webhook-endpoint.repository';
import type { WebhookEventRepository } from './webhook-event.repository';

export interface QueueDeps {
  endpoints: WebhookEndpointRepository;
  deliveries: WebhookDeliveryRepository;
  events: WebhookEventRepository;
  retentionMs: number;
  clock: () => Date;
}

/**
 * Orders deliveries of one account: each replica consumes a partition in order, and a number taken
 * from its clock, made strictly increasing here, keeps that order in the queue.
 */
function sequence(clock: () => Date): () => number {
  let last = 0;
  return () => {
    last = Math.max(last + 1, clock().getTime() * 1_000);
    return last;
  };
}

/**
 * Queues each public event for every enabled endpoint that wants it, and stores it for their retries
 * and replays (a disabled endpoint's too: enabled again, it replays what it missed). An event no
 * endpoint wants is not stored: notification keeps no copy of personal data that nobody will receive.
 */
export function queueEvent(deps: QueueDeps) {
  const next = sequence(deps.clock);
  return async (event: AnyCloudEvent): Promise<void> => {
    const name = eventNameOf(event.type);
    if (!name || !isPublicEventType(name)) return;
    // Deliveries of the erased events still waiting end as dead: erasure wins over at-least-once.
    if (name === 'UserDeleted') await deps.events.eraseSubject(event.subject, event.id);
    const subscribed = await deps.endpoints.subscribedTo(name);
    if (!subscribed.any) return;
    const now = deps.clock();
    await deps.events.store(
      { id: event.id, eventType: name, subject: event.subject, time: new Date(event.time), body: JSON.stringify(event) },
      new Date(now.getTime() + deps.retentionMs),
    );
    await deps.deliveries.enqueue(subscribed.enabled, { eventId: event.id, eventType: name, subject: event.subject, seq: next() }, now);
  };
}

/**
 * Whether queueing would do anything: a public event some endpoint (enabled or not) subscribes to,
 * or a UserDeleted, whose account's stored events are erased. Answered from the endpoint cache, so an
 * event no endpoint wants costs the consumer no database command at all.
 */
export function wantsEvent(deps: Pick<QueueDeps, 'endpoints'>) {
  return async (event: AnyCloudEvent): Promise<boolean> => {
    const name = eventNameOf(event.type);
    if (!name || !isPublicEventType(name)) return false;
    return name === 'UserDeleted' || (await deps.endpoints.subscribedTo(name)).any;
  };
}

/** Queues the stored events of a window again, oldest first, for one endpoint's types. */
export function replayWindow(deps: QueueDeps) {
  const next = sequence(deps.clock);
  return async (endpointId: string, from: Date, to: Date): Promise<number> => {
    if (from > to) throw new AppError('validation_failed', '`from` must not be after `to`.');
    const endpoint = found(await deps.endpoints.find(endpointId));
    const events = await deps.events.inWindow(endpoint.eventTypes, from, to);
    return deps.deliveries.requeue(
      endpointId,
      events.map((event) => ({ eventId: event.id, eventType: event.eventType, subject: event.subject, seq: next() })),
      deps.clock(),
    );
  };
}

/** A WebhookTest CloudEvent for one endpoint, delivered and logged like any other event. */
export function sendTestEvent(deps: QueueDeps) {
  const next = sequence(deps.clock);
  return async (endpointId: string): Promise<string> => {
    found(await deps.endpoints.find(endpointId));
    const now = deps.clock();
    const id = randomUUID();
    const event = {
      specversion: '1.0',
      id,
      source: '/notification',
      type: TEST_EVENT_TYPE,
      subject: endpointId,
      time: now.toISOString(),
      datacontenttype: 'application/json',
      data: { message: 'A test event from Solar Accounts: your endpoint receives and verifies webhooks.' },
    };
    await deps.events.store(
      { id, eventType: 'WebhookTest', subject: endpointId, time: now, body: JSON.stringify(event) },
      new Date(now.getTime() + deps.retentionMs),
    );
    await deps.deliveries.enqueue([endpointId], { eventId: id, eventType: 'WebhookTest', subject: endpointId, seq: next() }, now);
    return id;
  };
}
