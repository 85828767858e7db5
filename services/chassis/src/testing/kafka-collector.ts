import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { endOffsets } from './kafka-offsets';
import { uniqueName } from './test-infra';
import { waitFor } from './wait-for';

export interface CollectedMessage {
  topic: string;
  message: KafkaMessage;
}

/** Reads topics from the beginning with a group of its own, so a test can assert what was published. */
export class KafkaCollector {
  readonly messages: CollectedMessage[] = [];
  /** The next offset to read, per `topic:partition`. */
  private readonly next = new Map<string, number>();
  private consumer: Consumer | undefined;

  constructor(
    private readonly brokers: string,
    private readonly topics: string[],
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({ brokers: this.brokers.split(','), clientId: 'test-collector', logLevel: logLevel.NOTHING });
    this.consumer = kafka.consumer({ groupId: uniqueName('collector'), allowAutoTopicCreation: false });
    await this.consumer.connect();
    const consumer = this.consumer;
    // A topic created a moment ago may be refused for a while ("does not host this topic-partition")
    // although its partitions have leaders: the broker is still loading them.
    await waitFor(
      async () => {
        await consumer.subscribe({ topics: this.topics, fromBeginning: true });
        return true;
      },
      { timeoutMs: 30_000, what: `a subscription to ${this.topics.join(', ')}` },
    );
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        this.messages.push({ topic, message });
        this.next.set(`${topic}:${partition}`, Number(message.offset) + 1);
      },
    });
  }

  waitForCount(predicate: (m: CollectedMessage) => boolean, count: number, timeoutMs = 30_000): Promise<CollectedMessage[]> {
    return waitFor(
      () => {
        const matching = this.messages.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      { timeoutMs, what: `${count} Kafka message(s)` },
    );
  }

  /**
   * Waits until every record now on the topics has been collected, on every partition. Whatever was
   * published before this call is then in `messages`, so its absence there is proof: a marker on
   * another key proves nothing, as it may sit on a partition read sooner.
   */
  async caughtUp(timeoutMs = 30_000): Promise<void> {
    const ends = await endOffsets(this.brokers, this.topics);
    await waitFor(() => ([...ends].every(([key, end]) => (this.next.get(key) ?? 0) >= end) ? true : undefined), {
      timeoutMs,
      what: `the collector to read ${this.topics.join(', ')} to the end`,
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
