import { createEvent, type CloudEvent, type EventInput, type EventType } from '@solar/contracts';
import type { Publisher } from '@solar/chassis';

export type PublishEvents = (events: CloudEvent<EventType>[]) => Promise<void>;

/**
 * Lifecycle publishes straight to Kafka rather than through an outbox: every event comes from a job,
 * and a job whose publish fails is retried by Agenda; consumers are idempotent on the event id.
 */
export function publishVia(publisher: Publisher): PublishEvents {
  return (events) => publisher.publish(events);
}

export function lifecycleEvent<K extends EventType>(name: K, subject: string, data: EventInput<K>, time: Date): CloudEvent<K> {
  return createEvent(name, { source: '/lifecycle', subject, data, time });
}
