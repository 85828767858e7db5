import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { uniqueName } from './test-infra';
import { waitFor } from './wait-for';

export interface CollectedMessage {
  topic: string;
  message: KafkaMessage;
}

/** Reads topics from the beginning with a group of its own, so a test can assert what was published. */
export class KafkaCollector {
  readonly messages: CollectedMessage[] = [];
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
      eachMessage: async ({ topic, message }) => {
        this.messages.push({ topic, message });
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

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
