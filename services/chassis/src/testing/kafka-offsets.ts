import { Kafka, logLevel, type Admin } from 'kafkajs';
import { waitFor } from './wait-for';

/** Where a record landed. */
export interface RecordPosition {
  topic: string;
  partition: number;
  offset: number;
}

async function withAdmin<T>(brokers: string, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Kafka({ brokers: brokers.split(','), clientId: 'test-offsets', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The next offset to be written, per `topic:partition`: everything before it is on the broker now. */
export function endOffsets(brokers: string, topics: string[]): Promise<Map<string, number>> {
  return withAdmin(brokers, async (admin) => {
    const ends = new Map<string, number>();
    for (const topic of topics) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}:${partition}`, Number(high));
    }
    return ends;
  });
}

/**
 * Waits until a consumer group has committed past every given record. The group commits a record
 * once its handler has returned, so whatever the records could cause has happened by then: an
 * absence checked afterwards needs no sleep.
 */
export function waitForCommitted(brokers: string, groupId: string, records: RecordPosition[], timeoutMs = 30_000): Promise<true> {
  return withAdmin(brokers, (admin) =>
    waitFor(
      async () => {
        for (const record of records) {
          const [topic] = await admin.fetchOffsets({ groupId, topics: [record.topic] });
          const committed = topic?.partitions.find((p) => p.partition === record.partition);
          if (!committed || Number(committed.offset) <= record.offset) return undefined;
        }
        return true;
      },
      { timeoutMs, what: `group ${groupId} to commit past ${records.map((r) => `${r.topic}:${r.partition}@${r.offset}`).join(', ')}` },
    ),
  );
}

/** Waits until a consumer group has committed everything on the topics as they stand now. */
export async function waitForGroupAtEnd(brokers: string, groupId: string, topics: string[], timeoutMs = 30_000): Promise<true> {
  const records = [...(await endOffsets(brokers, topics))]
    .filter(([, end]) => end > 0)
    .map(([key, end]) => {
      const at = key.lastIndexOf(':');
      return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: end - 1 };
    });
  return waitForCommitted(brokers, groupId, records, timeoutMs);
}
