import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import type { Span } from '@opentelemetry/api';
import type { Consumer, EachMessagePayload, IHeaders, Kafka } from 'kafkajs';
import { ContractViolation, fromKafkaMessage, type AnyCloudEvent } from '@solar/contracts';
import type { Health } from '../http/health';
import type { Logger } from '../logger';
import { consumerMetrics, type ConsumerMetrics } from '../metrics/kafka-metrics';
import type { Metrics } from '../metrics/metrics';
import { reportError } from '../telemetry/error-tracking';
import { contextOfRecord, withSpan } from '../telemetry/trace-context';
import { backoffDelay, type BackoffPolicy } from '../retry/backoff';
import { ensureTopics, prefixed } from './kafka';
import type { Publisher } from './publisher';

export interface ConsumedContext {
  topic: string;
  partition: number;
  offset: string;
  headers: IHeaders;
  /** Keeps this member in its group while a handler waits (its own retries); kafkajs only beats between messages. */
  heartbeat: () => Promise<void>;
}

export type EventHandler = (event: AnyCloudEvent, context: ConsumedContext) => Promise<void>;

/**
 * One group reads several topics and event types; each handler acts on its own type and ignores the
 * rest, so they are simply called in turn.
 */
export function routeEvents(...handlers: EventHandler[]): EventHandler {
  return async (event, context) => {
    for (const handler of handlers) await handler(event, context);
  };
}

export interface ConsumerOptions {
  kafka: Kafka;
  /** Base group name; the topic prefix is added, and `<group>.dlq` receives what cannot be processed. */
  group: string;
  topicPrefix: string;
  /** Base topic names from contracts. */
  topics: string[];
  handler: EventHandler;
  /**
   * Whether any handler acts on this event. One none acts on (a public event notification relays to
   * no endpoint) is passed over without its processed-event read and write: those would guard nothing.
   * Absent, every event is handled.
   */
  wants?: (event: AnyCloudEvent) => boolean | Promise<boolean>;
  /**
   * Where processed event ids are kept; its unique `_id` makes redelivery a no-op. A service without
   * Mongo (the gateway) leaves it out, and its handler must then be idempotent by itself.
   */
  db?: Connection;
  publisher: Publisher;
  logger: Logger;
  retry?: BackoffPolicy;
  /** The service's registry: processing delay, outcomes, dead letters and lag are recorded there. */
  metrics?: Metrics;
}

/**
 * Thrown by a handler that knows retrying here cannot help (it has already retried in its own way, or
 * the event can never be processed): the message goes to `<group>.dlq` at once, with this code, and
 * the partition moves on. Like any dead-lettered event it is not recorded as processed.
 */
export class DeadLetterError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Reported in the `dlq-attempts` header: the attempts the handler made, not the consumer's. */
    readonly attempts = 1,
  ) {
    super(message);
    this.name = 'DeadLetterError';
  }
}

const DEFAULT_RETRY: BackoffPolicy = { attempts: 5, initialMs: 200, maxMs: 5_000 };
const PROCESSED = 'processed_events';

/**
 * Runs a consumer group that hands each valid event to the handler at most once per event id (as
 * far as the handler's own effects are idempotent), retries failures with backoff, and parks what
 * still fails on the group's dead-letter topic so one bad message never stops the partition.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly group: string;
  private readonly retry: BackoffPolicy;
  private readonly metrics: ConsumerMetrics | undefined;
  private running = false;
  private stopping = false;

  constructor(private readonly options: ConsumerOptions) {
    this.group = prefixed(options.topicPrefix, options.group);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.consumer = options.kafka.consumer({ groupId: this.group, allowAutoTopicCreation: false });
    this.consumer.on('consumer.crash', ({ payload }) => {
      this.running = payload.restart;
      options.logger.error({ err: payload.error, group: this.group, restart: payload.restart }, 'consumer crashed');
    });
    this.consumer.on('consumer.group_join', () => {
      this.running = true;
    });
    this.metrics = options.metrics && consumerMetrics(options.metrics);
    const lag = this.metrics?.lag;
    // kafkajs has no lag API; each batch reports how far its partition's high-water mark is ahead, for free.
    if (lag) {
      this.consumer.on('consumer.end_batch_process', ({ payload }) => {
        lag.set(
          { group: options.group, topic: this.baseTopic(payload.topic), partition: String(payload.partition) },
          Number(payload.offsetLag),
        );
      });
    }
  }

  get deadLetterTopic(): string {
    return `${this.group}.dlq`;
  }

  /** Critical by default; a service that serves without this consumer (the gateway's quota resets) says otherwise. */
  registerHealth(health: Health, options: { critical?: boolean } = {}): void {
    health.register(
      `consumer:${this.options.group}`,
      async () => {
        if (!this.running) throw new Error('consumer is not in its group');
      },
      options,
    );
  }

  async start(): Promise<void> {
    const topics = this.options.topics.map((topic) => prefixed(this.options.topicPrefix, topic));
    await ensureTopics(this.options.kafka, [...topics, this.deadLetterTopic]);
    await this.options.db?.collection(PROCESSED).createIndex({ processedAt: 1 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      eachMessage: (payload) =>
        // In the trace the record carries: its handler's work (and the events it publishes) joins the
        // trace of the request that caused the event.
        withSpan(
          `handle ${payload.topic}`,
          {
            parent: contextOfRecord(payload.message.headers ?? {}),
            attributes: {
              'messaging.system': 'kafka',
              'messaging.consumer.group.name': this.group,
              'messaging.destination.name': payload.topic,
              'messaging.kafka.offset': Number(payload.message.offset),
            },
          },
          (span) => this.onMessage(payload, span),
        ),
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer.disconnect();
    this.running = false;
  }

  private baseTopic(topic: string): string {
    return topic.startsWith(this.options.topicPrefix) ? topic.slice(this.options.topicPrefix.length) : topic;
  }

  private async onMessage(payload: EachMessagePayload, span: Span): Promise<void> {
    const { message, topic, partition } = payload;
    const count = (outcome: 'processed' | 'duplicate' | 'dead_lettered' | 'ignored') =>
      this.metrics?.messages.inc({ topic: this.baseTopic(topic), outcome });
    const context: ConsumedContext = {
      topic,
      partition,
      offset: message.offset,
      headers: message.headers ?? {},
      heartbeat: () => payload.heartbeat(),
    };
    let event: AnyCloudEvent;
    try {
      event = fromKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} });
    } catch (error) {
      if (!(error instanceof ContractViolation)) throw error;
      await this.deadLetter(payload, error.code, error.message, 0);
      count('dead_lettered');
      return;
    }
    // Clock skew between producers and this host must not show as negative delay.
    this.metrics?.delay.observe(
      { topic: this.baseTopic(topic), type: event.type },
      Math.max(0, Date.now() - Date.parse(event.time)) / 1_000,
    );
    span.setAttributes({ 'cloudevents.event_id': event.id, 'cloudevents.event_type': event.type });
    if (this.options.wants && !(await this.options.wants(event))) {
      count('ignored');
      return;
    }
    const processedId = `${this.group}:${event.id}`;
    const processed = this.options.db?.collection<{ _id: string; processedAt: Date }>(PROCESSED);
    if (await processed?.findOne({ _id: processedId })) {
      count('duplicate');
      return;
    }

    const failure = await this.handleWithRetries(event, context, () => payload.heartbeat());
    if (failure instanceof DeadLetterError) {
      await this.deadLetter(payload, failure.code, failure.message, failure.attempts);
      count('dead_lettered');
      return;
    }
    if (failure) {
      await this.deadLetter(payload, 'handler_failed', failure.message, this.retry.attempts);
      count('dead_lettered');
      return;
    }
    await processed?.updateOne({ _id: processedId }, { $setOnInsert: { processedAt: new Date() } }, { upsert: true });
    count('processed');
  }

  private async handleWithRetries(event: AnyCloudEvent, context: ConsumedContext, heartbeat: () => Promise<void>): Promise<Error | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.handler(event, context);
        return null;
      } catch (error) {
        if (error instanceof DeadLetterError) return error;
        const failure = error instanceof Error ? error : new Error(String(error));
        this.options.logger.warn({ err: failure, eventId: event.id, type: event.type, attempt, group: this.group }, 'event handler failed');
        if (attempt >= this.retry.attempts) return failure;
        // Leaving without committing lets another member (or this one after restart) take it over.
        if (this.stopping) throw new Error('consumer stopping during retries; the event will be redelivered', { cause: error });
        await sleep(backoffDelay(this.retry, attempt));
        await heartbeat();
      }
    }
  }

  private async deadLetter(payload: EachMessagePayload, code: string, reason: string, attempts: number): Promise<void> {
    const { message, topic, partition } = payload;
    await this.options.publisher.sendRaw(this.deadLetterTopic, [
      {
        key: message.key,
        value: message.value,
        headers: {
          ...(message.headers as Record<string, string | Buffer>),
          'dlq-error-code': code,
          'dlq-error-message': reason.slice(0, 1_000),
          'dlq-original-topic': topic,
          'dlq-original-partition': String(partition),
          'dlq-original-offset': message.offset,
          'dlq-consumer-group': this.group,
          'dlq-attempts': String(attempts),
          'dlq-failed-at': new Date().toISOString(),
        },
      },
    ]);
    this.metrics?.deadLetters.inc({ topic: this.baseTopic(topic), code });
    this.options.logger.error(
      { group: this.group, topic, partition, offset: message.offset, code, reason },
      'event sent to the dead-letter topic',
    );
    reportError(new Error(`event sent to the dead-letter topic: ${code}`), {
      tags: { kind: 'dead_letter', code, consumer_group: this.group, topic },
      extra: { partition, offset: message.offset, reason: reason.slice(0, 1_000) },
    });
  }
}
