import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ContractViolation, type ContractIssue } from './contract-violation';
import { schemaUri } from './json-schema';
import { eventNameOf, registry, type CloudEventType, type EventData, type EventInput, type EventType } from './registry';
import type { Topic } from './topics';

/** A CloudEvents 1.0 event of one registered type; `time` is the moment the occurrence happened. */
export interface CloudEvent<K extends EventType> {
  specversion: '1.0';
  id: string;
  /** URI-reference of the producer, e.g. '/identity'. */
  source: string;
  type: CloudEventType<K>;
  /** Id of the aggregate the event is about, e.g. the user id; also the Kafka key. */
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** Absolute URI of the data's JSON Schema (its `$id`). */
  dataschema?: string;
  data: EventData<K>;
}

/** Any registered event, discriminated by `type`; narrow it with isEvent. */
export type AnyCloudEvent = { [K in EventType]: CloudEvent<K> }[EventType];

export interface CreateEventOptions<K extends EventType> {
  source: string;
  subject: string;
  data: EventInput<K>;
  /** Defaults to a random UUID. */
  id?: string;
  /** Defaults to now. */
  time?: Date;
}

/** Builds a valid event; throws ContractViolation('invalid_data' | 'invalid_headers') otherwise. */
export function createEvent<K extends EventType>(name: K, options: CreateEventOptions<K>): CloudEvent<K> {
  const event: CloudEvent<K> = {
    specversion: '1.0',
    id: options.id ?? randomUUID(),
    source: options.source,
    type: registry[name].type,
    subject: options.subject,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaUri(name),
    data: parseData(name, options.data),
  };
  // The same check a consumer makes, so an event that builds is one that can be read back.
  parseAttributes(toHeaders(event));
  return event;
}

export function isEvent<K extends EventType>(event: CloudEvent<EventType>, name: K): event is CloudEvent<K> {
  return event.type === registry[name].type;
}

export function topicOf(event: CloudEvent<EventType>): Topic {
  return registry[nameOf(event.type)].topic;
}

/** A Kafka record in CloudEvents binary content mode, ready for kafkajs `send`. */
export interface KafkaMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function toKafkaMessage(event: CloudEvent<EventType>): KafkaMessage {
  return { key: event.subject, value: JSON.stringify(event.data), headers: toHeaders(event) };
}

function toHeaders(event: CloudEvent<EventType>): Record<string, string> {
  return {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_time: event.time,
    ce_subject: event.subject,
    ...(event.dataschema === undefined ? {} : { ce_dataschema: event.dataschema }),
    'content-type': event.datacontenttype,
  };
}

export type KafkaHeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** What kafkajs hands a consumer (KafkaMessage), reduced to what the mapping reads. */
export interface IncomingKafkaMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, KafkaHeaderValue>;
}

/** Reads a binary-mode message; throws ContractViolation for anything a consumer should dead-letter. */
export function fromKafkaMessage(message: IncomingKafkaMessage): AnyCloudEvent {
  const attributes = parseAttributes(readHeaders(message.headers ?? {}));
  const name = nameOf(attributes.ce_type);
  const event: CloudEvent<EventType> = {
    specversion: attributes.ce_specversion,
    id: attributes.ce_id,
    source: attributes.ce_source,
    type: registry[name].type,
    subject: attributes.ce_subject,
    time: attributes.ce_time,
    datacontenttype: 'application/json',
    ...(attributes.ce_dataschema === undefined ? {} : { dataschema: attributes.ce_dataschema }),
    data: parseData(name, parseJson(message.value)),
  };
  // Sound because data was parsed with the schema registered for exactly this type.
  return event as AnyCloudEvent;
}

/** The CloudEvents attributes as Kafka headers (binary content mode); the AsyncAPI document renders them too. */
export const CloudEventHeaders = z.object({
  ce_specversion: z.literal('1.0'),
  ce_id: z.string().min(1),
  ce_source: z.string().min(1),
  ce_type: z.string().min(1),
  ce_time: z.iso.datetime({ offset: true }),
  ce_subject: z.string().min(1),
  ce_dataschema: z.string().min(1).optional(),
  // Absent means JSON too (CloudEvents); structured mode would say application/cloudevents+json.
  'content-type': z
    .string()
    .refine((value) => mediaType(value) === 'application/json', 'binary content mode with application/json expected')
    .optional(),
});
type Attributes = z.output<typeof CloudEventHeaders>;

const attributeHeaders = Object.keys(CloudEventHeaders.shape);

function readHeaders(headers: Record<string, KafkaHeaderValue>): Record<string, string | undefined> {
  return Object.fromEntries(attributeHeaders.map((name) => [name, headerText(name, headers[name])]));
}

function headerText(name: string, value: KafkaHeaderValue): string | undefined {
  if (!Array.isArray(value)) return typeof value === 'string' ? value : value?.toString('utf8');
  if (value.length > 1) throw new ContractViolation('invalid_headers', `header ${name} appears ${value.length} times`);
  return headerText(name, value[0]);
}

function parseAttributes(headers: Record<string, string | undefined>): Attributes {
  const result = CloudEventHeaders.safeParse(headers);
  if (!result.success) throw new ContractViolation('invalid_headers', 'invalid CloudEvents headers', toIssues(result.error));
  return result.data;
}

function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

function nameOf(type: string): EventType {
  const name = eventNameOf(type);
  if (name === undefined) throw new ContractViolation('unknown_event_type', `unknown event type ${type}`);
  return name;
}

function parseJson(value: Buffer | string | null): unknown {
  if (value === null) throw new ContractViolation('invalid_json', 'message has no value');
  try {
    return JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    // The parser's message quotes the input, which may hold secrets.
    throw new ContractViolation('invalid_json', 'message value is not valid JSON');
  }
}

function parseData<K extends EventType>(name: K, data: unknown): EventData<K> {
  const schema: z.ZodType = registry[name].schema;
  const result = schema.safeParse(data);
  if (!result.success) throw new ContractViolation('invalid_data', `invalid data for ${name}`, toIssues(result.error));
  // Sound: the schema is registry[name].schema, whose output is EventData<K> by definition.
  return result.data as EventData<K>;
}

function toIssues(error: z.ZodError): ContractIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
