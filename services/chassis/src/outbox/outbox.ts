import { Schema } from 'mongoose';
import { toKafkaMessage, topicOf, type AnyCloudEvent } from '@solar/contracts';
import type { Sealer } from '../crypto/sealer';
import type { OutgoingRecord } from '../kafka/publisher';
import { captureTraceContext, type TraceCarrier } from '../telemetry/trace-context';

/**
 * An event waiting to be published, embedded in the very document whose change it announces, so the
 * state change and its event are one atomic single-document write. The value is sealed because some
 * events (an email request with a link) carry a secret that must not rest in the database in clear.
 */
export interface OutboxEntry {
  eventId: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  sealedValue: string;
  createdAt: Date;
  /**
   * The trace of the operation that wrote the entry (W3C traceparent/tracestate). The relay publishes
   * later, outside that operation, and continues this trace so the event's consumers join it too.
   * Absent on entries written while nothing was traced.
   */
  traceContext?: TraceCarrier;
  /**
   * Set on an entry whose record is made when it is published, by the relay's renderer of that name,
   * from the document as it then stands (a state snapshot); such an entry stores no value.
   */
  render?: string;
}

export interface HasOutbox {
  outbox: OutboxEntry[];
}

export const outboxEntrySchema = new Schema<OutboxEntry>(
  {
    eventId: { type: String, required: true },
    topic: { type: String, required: true },
    key: { type: String, default: null },
    headers: { type: Schema.Types.Mixed, required: true },
    sealedValue: {
      type: String,
      required(this: OutboxEntry) {
        return this.render === undefined;
      },
    },
    createdAt: { type: Date, required: true },
    traceContext: { type: Schema.Types.Mixed, default: undefined },
    render: { type: String, default: undefined },
  },
  { _id: false },
);

/** Called while the operation that causes the event runs: its trace context is captured here. */
export function toOutboxEntry(eventId: string, record: OutgoingRecord & { value: string }, sealer: Sealer, now: Date): OutboxEntry {
  const traceContext = captureTraceContext();
  return {
    eventId,
    topic: record.topic,
    key: record.key,
    headers: record.headers,
    sealedValue: sealer.seal(record.value, outboxContext(eventId)),
    createdAt: now,
    ...(Object.keys(traceContext).length > 0 ? { traceContext } : {}),
  };
}

/**
 * The sealed value is bound to its event id, so a value moved onto another entry does not open. Entries
 * sealed in the old format (before contexts) may wait in an outbox across the upgrade: they still open,
 * and are gone once published (the relay deletes them), so nothing old-format lasts.
 */
export function fromOutboxEntry(entry: OutboxEntry, sealer: Sealer): OutgoingRecord {
  const value = sealer.open(entry.sealedValue, outboxContext(entry.eventId), { legacy: true });
  return { topic: entry.topic, key: entry.key, headers: entry.headers, value };
}

/** An entry whose record the relay renders at publish time (see OutboxEntry.render). */
export function renderedOutboxEntry(render: string, eventId: string, target: { topic: string; key: string }, now: Date): OutboxEntry {
  const traceContext = captureTraceContext();
  return {
    eventId,
    topic: target.topic,
    key: target.key,
    headers: {},
    sealedValue: '',
    createdAt: now,
    render,
    ...(Object.keys(traceContext).length > 0 ? { traceContext } : {}),
  };
}

const outboxContext = (eventId: string) => `outbox/${eventId}`;

/** The outbox entry that will publish this event, in CloudEvents binary mode on its contract topic. */
export function outboxEntryOf(event: AnyCloudEvent, sealer: Sealer, now: Date): OutboxEntry {
  return toOutboxEntry(event.id, { topic: topicOf(event), ...toKafkaMessage(event) }, sealer, now);
}
