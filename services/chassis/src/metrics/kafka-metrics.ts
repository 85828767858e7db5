import type { Metrics } from './metrics';

/** From milliseconds (a busy partition) to an hour (a consumer back from an outage). */
const DELAY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/** What every EventConsumer of a service records; topics are the contracts' base names, without the deployment's prefix. */
export function consumerMetrics(metrics: Metrics) {
  return {
    delay: metrics.histogram({
      name: 'solar_kafka_consume_delay_seconds',
      help: "From an event's time (ce_time) to its consumer taking it, by topic and event type",
      labelNames: ['topic', 'type'],
      buckets: DELAY_BUCKETS,
    }),
    messages: metrics.counter({
      name: 'solar_kafka_messages_total',
      help: 'Messages a consumer finished with, by topic and outcome (processed, duplicate, dead_lettered, ignored)',
      labelNames: ['topic', 'outcome'],
    }),
    deadLetters: metrics.counter({
      name: 'solar_kafka_dead_letters_total',
      help: 'Messages written to a dead-letter topic, by the topic they came from and the error code',
      labelNames: ['topic', 'code'],
    }),
    lag: metrics.gauge({
      name: 'solar_kafka_consumer_lag',
      help: "Messages behind the partition's high-water mark after the consumer's last batch, by group, topic and partition",
      labelNames: ['group', 'topic', 'partition'],
    }),
  };
}

export type ConsumerMetrics = ReturnType<typeof consumerMetrics>;

export function outboxMetrics(metrics: Metrics) {
  return {
    published: metrics.counter({
      name: 'solar_outbox_published_total',
      help: 'Outbox events published to Kafka and removed from their document, by collection',
      labelNames: ['collection'],
    }),
    failures: metrics.counter({
      name: 'solar_outbox_publish_failures_total',
      help: "Attempts to publish a document's outbox entries that failed (retried by the sweep), by collection",
      labelNames: ['collection'],
    }),
    backlog: metrics.gauge({
      name: 'solar_outbox_backlog',
      help: 'Documents whose outbox entries outlived the settle time, found by the last sweep (at most 500 per collection)',
      labelNames: ['collection'],
    }),
  };
}

export type OutboxMetrics = ReturnType<typeof outboxMetrics>;
