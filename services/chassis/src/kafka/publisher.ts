import { toKafkaMessage, topicOf, type CloudEvent, type EventType } from '@solar/contracts';
import type { Kafka, Producer } from 'kafkajs';
import { Partitioners } from 'kafkajs';
import type { Health } from '../http/health';
import type { Logger } from '../logger';
import { captureTraceContext } from '../telemetry/trace-context';
import { ensureTopics, prefixed } from './kafka';

export interface OutgoingRecord {
  /** Base topic name from contracts; the publisher adds the deployment's prefix. */
  topic: string;
  key: string | null;
  /** Null is a tombstone: on a compacted topic it removes the key. */
  value: string | null;
  headers: Record<string, string>;
}

/**
 * One producer per service (acks from all in-sync replicas, one request in flight, so order holds). It
 * connects lazily, so a service starts and keeps taking writes while Kafka is away: the outbox holds
 * what is not yet sent.
 *
 * Not kafkajs's idempotent producer: it hands a failed request's sequence numbers to the next batch,
 * and when the failed one had in fact been written (a broker stopping after the write, before its
 * answer), the broker takes the next batch for a retry of it, acknowledges it and drops it: events
 * lost while the outbox thinks them sent (the chaos suite's Kafka scenario lost two of ~100 that way).
 * Without it a retry may publish an event twice, which consumers already absorb (dedupe on the event id).
 */
export class Publisher {
  private readonly producer: Producer;
  private connection: Promise<void> | null = null;
  private connected = false;

  /** `topics` are the base names this service publishes to; they are created if missing on connect. */
  constructor(
    private readonly kafka: Kafka,
    private readonly topicPrefix: string,
    private readonly logger: Logger,
    private readonly topics: string[] = [],
  ) {
    this.producer = kafka.producer({
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    this.producer.on('producer.disconnect', () => {
      this.connected = false;
      this.connection = null;
    });
  }

  registerHealth(health: Health): void {
    // Not critical: writes go on into the outbox while Kafka is away, and are published once it is back.
    health.register(
      'kafka',
      async () => {
        if (!this.connected) throw new Error('producer is not connected to Kafka');
      },
      { critical: false },
    );
  }

  /** Events straight to their topics, for a caller that retries on failure (a consumer, a job) instead of an outbox. */
  async publish(events: readonly CloudEvent<EventType>[]): Promise<void> {
    await this.send(events.map((event) => ({ topic: topicOf(event), ...toKafkaMessage(event) })));
  }

  /**
   * Records carry the active trace context (`traceparent`) in their headers. kafkajs's instrumentation,
   * where it runs, replaces it with that of its own producer span, a child of the same context.
   */
  async send(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.connect();
    const trace = captureTraceContext();
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const record of records) byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: prefixed(this.topicPrefix, topic),
        messages: list.map(({ key, value, headers }) => ({ key, value, headers: { ...headers, ...trace } })),
      })),
    });
  }

  /** Sends to a topic name that is already complete (a dead-letter topic derived from a group). */
  async sendRaw(
    topic: string,
    messages: { key: Buffer | string | null; value: Buffer | string | null; headers: Record<string, string | Buffer> }[],
  ): Promise<void> {
    await this.connect();
    const trace = captureTraceContext();
    await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((message) => ({ ...message, headers: { ...message.headers, ...trace } })),
    });
  }

  connect(): Promise<void> {
    this.connection ??= this.producer
      .connect()
      .then(() =>
        ensureTopics(
          this.kafka,
          this.topics.map((topic) => prefixed(this.topicPrefix, topic)),
        ),
      )
      .then(
        () => {
          this.connected = true;
        },
        (error: unknown) => {
          this.connection = null;
          this.logger.warn({ err: error }, 'Kafka producer could not connect; will retry on the next send');
          throw error;
        },
      );
    return this.connection;
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
