import type { Env } from '@solar/chassis';
import { mongoUrlFor, testInfra, testKeyRing } from '@solar/chassis/testing';

/** Notification's variables for one test: its own database and topic prefix on the shared servers. */
export function notificationTestEnv(name: string, extra: Env = {}): Env {
  const infra = testInfra();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    MONGO_URL: mongoUrlFor(infra, `${name}-notification`),
    DATA_ENCRYPTION_KEYS: testKeyRing(),
    HOST: '127.0.0.1',
    PORT: '0',
    OUTBOX_SETTLE: '1s',
    OUTBOX_SWEEP_INTERVAL: '500ms',
    SHUTDOWN_TIMEOUT: '5s',
    ...extra,
  };
}
