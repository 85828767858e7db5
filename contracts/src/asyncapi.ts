import { z } from 'zod';
import { CloudEventHeaders } from './cloudevents';
import { schemaUri } from './json-schema';
import { eventTypes, registry, type EventType } from './registry';
import { isPublicTopic, Topics, type Topic } from './topics';

/** Bumped by hand when the document changes in a way readers should notice (a topic or event added, say). */
export const ASYNCAPI_DOCUMENT_VERSION = '1.2.0';

const topicDescriptions: Record<Topic, string> = {
  [Topics.identityUser]: 'Account lifecycle: registration, verification, credentials, two-factor, deletion. Keyed by user id.',
  [Topics.identityUserState]:
    'Compacted: the public projection of every account, keyed by user id, newest per key; a null value (tombstone) follows UserDeleted.',
  [Topics.identitySecurity]: 'Security signals for audit consumers and a SIEM: sign-ins, locks, token reuse, reset requests.',
  [Topics.identityWaitlist]: 'Waitlist entries and their approval (never the invite token).',
  [Topics.identityDataExportParts]:
    "Private to identity, short retention: each participant's data about one person for a data export. No other service may read it.",
  [Topics.notificationEmailRequests]:
    'Private to notification, short retention: requests carry links with tokens. No other service may read it.',
  [Topics.notificationDeliveries]: 'The outcome of every requested email, and provider health episodes.',
  [Topics.lifecycle]: "The system's clock: grace periods that ended, maintenance and monthly resets that are due.",
};

/** Channel ids are the topic names with dots and dashes turned into camelCase, e.g. identityUserV1. */
function channelId(topic: Topic): string {
  return topic.replace(/[.-]([a-z0-9])/g, (_match, next: string) => next.toUpperCase());
}

function producerOf(name: EventType): string {
  return registry[name].type.split('.')[2] ?? '';
}

type JsonSchema = Record<string, unknown>;

/** JSON Schema draft-07 (what AsyncAPI's default schema format extends), without the $schema keyword. */
function draft7(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _omitted, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io }) as JsonSchema;
  return rest;
}

function headersSchema(name: EventType): JsonSchema {
  const base = draft7(CloudEventHeaders, 'output');
  const properties = (base.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...base,
    description: 'CloudEvents 1.0 attributes in binary content mode (ce_* headers), plus the W3C trace context.',
    properties: {
      ...properties,
      ce_type: { type: 'string', const: registry[name].type },
      ce_source: { type: 'string', const: `/${producerOf(name)}`, description: 'The producing service.' },
      ce_subject: { type: 'string', description: 'Id of the aggregate the event is about; also the Kafka key.' },
      ce_dataschema: { type: 'string', const: schemaUri(name), description: 'The $id of the payload JSON Schema.' },
      'content-type': { type: 'string', const: 'application/json' },
      traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'W3C Trace Context of the operation that produced the event.',
      },
    },
    // Other headers (tracestate, baggage, retry bookkeeping) may be present; consumers ignore them.
    additionalProperties: true,
  };
}

function message(name: EventType): JsonSchema {
  const { type, description, schema, topic } = registry[name];
  return {
    name,
    title: name,
    summary: description,
    contentType: 'application/json',
    headers: headersSchema(name),
    // What a consumer must accept: fields with defaults are optional, unknown fields allowed (see json-schema.ts).
    payload: { ...draft7(schema, 'input'), $comment: `Also published as ${schemaUri(name)}` },
    bindings: {
      kafka: {
        key: { type: 'string', description: 'The CloudEvents subject: the aggregate id, so one aggregate keeps its order.' },
        bindingVersion: '0.5.0',
      },
    },
    'x-cloudevents-type': type,
    'x-topic-visibility': isPublicTopic(topic) ? 'public' : 'private',
  };
}

function topicsInOrder(): Topic[] {
  return [...new Set(eventTypes.map((name) => registry[name].topic))];
}

/**
 * The AsyncAPI 3.0 document of every topic and event in the registry: one channel per topic, one
 * message per event with its payload schema and CloudEvents headers, and the operation of the service
 * that sends it. Pure: `scripts/generate-docs.ts` (tools) writes it to docs/asyncapi.yaml.
 */
export function renderAsyncApi(): JsonSchema {
  const topics = topicsInOrder();
  const channels = Object.fromEntries(
    topics.map((topic) => {
      const names = eventTypes.filter((name) => registry[name].topic === topic);
      return [
        channelId(topic),
        {
          address: topic,
          title: topic,
          description: topicDescriptions[topic],
          messages: Object.fromEntries(names.map((name) => [name, { $ref: `#/components/messages/${name}` }])),
          bindings: { kafka: { topic, bindingVersion: '0.5.0' } },
        },
      ];
    }),
  );
  const operations = Object.fromEntries(
    topics.map((topic) => {
      const names = eventTypes.filter((name) => registry[name].topic === topic);
      const producers = [...new Set(names.map(producerOf))];
      return [
        `send${channelId(topic).replace(/^./, (first) => first.toUpperCase())}`,
        {
          action: 'send',
          title: `Publish to ${topic}`,
          summary: `Sent by ${producers.join(' and ')} through its outbox; consumers dedupe on ce_id.`,
          channel: { $ref: `#/channels/${channelId(topic)}` },
          messages: names.map((name) => ({ $ref: `#/channels/${channelId(topic)}/messages/${name}` })),
        },
      ];
    }),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Solar Accounts events',
      version: ASYNCAPI_DOCUMENT_VERSION,
      description: [
        'Events of the Solar Accounts platform on Kafka, as CloudEvents 1.0 in binary content mode: the',
        'attributes travel as `ce_*` headers, the value is the JSON event data, the key is the aggregate id.',
        'Consumers are idempotent on `ce_id` and park what they cannot process on `<group>.dlq`.',
        'Events evolve compatibly (optional fields only); anything else is a new `.v2` type.',
        'Generated from the contracts package: do not edit, run `npm run docs:generate`.',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'kafka:9092',
        protocol: 'kafka',
        description: "The deployment's Kafka cluster (KAFKA_BROKERS); topic names may carry a deployment prefix (KAFKA_TOPIC_PREFIX).",
      },
    },
    channels,
    operations,
    components: {
      messages: Object.fromEntries(eventTypes.map((name) => [name, message(name)])),
    },
  };
}
