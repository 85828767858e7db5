import { compactedTopics, eventTypes, isPublicTopic, registry, type EventType } from '@solar/contracts';

/**
 * What an endpoint may subscribe to: every event type of contracts' catalog on a public topic, so
 * an event added there is offered here without a change; private ones (EmailRequested) carry secrets.
 * State topics (identity.user-state.v1) are not events but snapshots with tombstones: their changes
 * already arrive as the events that caused them, and a receiver that wants the state asks the API.
 */
const PUBLIC_EVENT_TYPES: readonly EventType[] = eventTypes.filter(
  (name) => isPublicTopic(registry[name].topic) && !compactedTopics.has(registry[name].topic),
);

/** The public topics the consumer reads for webhooks. */
export const PUBLIC_TOPICS: readonly string[] = [...new Set(PUBLIC_EVENT_TYPES.map((name) => registry[name].topic))];

export const isPublicEventType = (name: string): name is EventType => (PUBLIC_EVENT_TYPES as readonly string[]).includes(name);

/** The type of the event `POST /admin/webhooks/{id}/test` sends; not in the catalog, no one consumes it from Kafka. */
export const TEST_EVENT_TYPE = 'com.solar-intelligence.notification.WebhookTest.v1';
