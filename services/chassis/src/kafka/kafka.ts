import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type LogEntry } from 'kafkajs';
import { compactedTopics, privateTopics } from '@solar/contracts';
import type { Logger } from '../logger';
import { backoffDelay } from '../retry/backoff';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prepended to topic and group names; see KAFKA_TOPIC_PREFIX. */
  topicPrefix: string;
  /** TLS to the brokers (KAFKA_SSL). */
  ssl?: boolean;
  /** SASL credentials (KAFKA_SASL_*). */
  sasl?: KafkaSasl;
}

/** One of kafkajs's username-and-password mechanisms (a union, as kafkajs types them). */
export type KafkaSasl = { [M in 'plain' | 'scram-sha-256' | 'scram-sha-512']: { mechanism: M; username: string; password: string } }[
  'plain' | 'scram-sha-256' | 'scram-sha-512'];

function saslOf(mechanism: KafkaSasl['mechanism'], username: string, password: string): KafkaSasl {
  // Spelled out per mechanism: kafkajs's types want the literal, not the union.
  if (mechanism === 'plain') return { mechanism, username, password };
  if (mechanism === 'scram-sha-256') return { mechanism, username, password };
  return { mechanism, username, password };
}

/**
 * KAFKA_SSL and KAFKA_SASL_* as the client's settings. A mechanism without both credentials is a
 * configuration error: connecting without SASL would fail later, and less clearly, at the broker.
 */
export function kafkaSecurity(config: {
  KAFKA_SSL?: boolean | undefined;
  KAFKA_SASL_MECHANISM?: KafkaSasl['mechanism'] | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}): Pick<KafkaSettings, 'ssl' | 'sasl'> {
  const { KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: username, KAFKA_SASL_PASSWORD: password } = config;
  if (!mechanism && (username || password)) throw new Error('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM');
  if (mechanism && (!username || !password)) throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return {
    ...(config.KAFKA_SSL ? { ssl: true } : {}),
    ...(mechanism && username && password ? { sasl: saslOf(mechanism, username, password) } : {}),
  };
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
  // A topic created a moment ago, before its leader is known; kafkajs retries, and a lasting failure
  // reaches the caller as a thrown error, which is logged there.
  'This server does not host this topic-partition',
];
// `error` is a string for kafkajs's own errors but the thrown value itself for a failing eachMessage.
const isRoutine = (log: { message?: unknown; error?: unknown }) =>
  ROUTINE.some((text) => [log.message, log.error].some((field) => typeof field === 'string' && field.startsWith(text)));

/** kafkajs logs through our logger, so its lines carry the service name and obey LOG_LEVEL. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  const kafkaLogger = logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...(settings.ssl ? { ssl: true } : {}),
    ...(settings.sasl ? { sasl: settings.sasl } : {}),
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
  if ([...compactedTopics].some((base) => topic.endsWith(base))) return [{ name: 'cleanup.policy', value: 'compact' }];
  return [];
}

export const prefixed = (prefix: string, name: string) => `${prefix}${name}`;

/**
 * Auto-creation is off on the brokers on purpose: each service declares the topics it needs. Private
 * topics (their events carry secrets such as links with tokens) keep their records one day only,
 * dead-letter topics a week; state topics are compacted, never expired.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = [...new Set(topics)];
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((topic) => ({ topic, numPartitions: partitions, configEntries: retentionOf(topic) })),
      });
    }
    // Also for topics that exist: another process may have created them a moment ago.
    await waitForLeaders(admin, wanted);
  } finally {
    await admin.disconnect();
  }
}

const LEADER_POLL = { attempts: Infinity, initialMs: 100, maxMs: 1_000 };

/**
 * kafkajs's own wait (createTopics with waitForLeaders) gives up when a broker that has just started
 * answers "does not host this topic-partition" for a moment; this one keeps asking until every
 * partition has a leader.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((topic) => topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms`);
    await sleep(backoffDelay(LEADER_POLL, attempt));
  }
}
