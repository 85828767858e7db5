import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { privateTopics } from '@solar/contracts';
import type { Logger } from '../logger';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to topic and group names; see KAFKA_TOPIC_PREFIX. */
  topicPrefix: string;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs reports as errors some answers it retries by itself and that are normal on a starting
 * broker or when two services create the same topic; they would only teach operators to ignore errors.
 */
const ROUTINE = [
  'The coordinator is loading',
  'The group coordinator is not available',
  'Topic creation errors',
  'Limiting retries for the idempotent producer',
];
const isRoutine = (log: { message?: string; error?: string }) =>
  ROUTINE.some((text) => log.message?.startsWith(text) || log.error?.startsWith(text));

/** kafkajs logs through our logger, so its lines carry the service name and obey LOG_LEVEL. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8 },
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...extra } = log;
        kafkaLogger[isRoutine(log) ? 'debug' : (LEVELS[level] ?? 'info')](extra, message);
      },
  });
}

const DAY_MS = 86_400_000;

/** Dead-letter topics may hold private events too, but live long enough for someone to look at them. */
function retentionOf(topic: string): { name: string; value: string }[] {
  if (topic.endsWith('.dlq')) return [{ name: 'retention.ms', value: String(7 * DAY_MS) }];
  if ([...privateTopics].some((base) => topic.endsWith(base))) return [{ name: 'retention.ms', value: String(DAY_MS) }];
  return [];
}

export const prefixed = (prefix: string, name: string) => `${prefix}${name}`;

/**
 * Auto-creation is off on the brokers on purpose: each service declares the topics it needs. Private
 * topics (their events carry secrets such as links with tokens) keep their records one day only,
 * dead-letter topics a week.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: partitions,
        configEntries: retentionOf(topic),
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
