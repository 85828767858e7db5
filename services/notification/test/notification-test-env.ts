import { openApiDocument } from '@solar/contracts';
import type { Env } from '@solar/chassis';
import { mongoUrlFor, testInfra, testKeyRing, validatingFetch } from '@solar/chassis/testing';

const apiSpec = openApiDocument();

/** A fetch to notification that fails the test when an answer of the public API departs from the spec. */
export const specFetch = (baseUrl: string) => validatingFetch(apiSpec, baseUrl);

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
    EMAIL_LINK_KEYS: testKeyRing(),
    HOST: '127.0.0.1',
    PORT: '0',
    OUTBOX_SETTLE: '1s',
    OUTBOX_SWEEP_INTERVAL: '500ms',
    SHUTDOWN_TIMEOUT: '5s',
    ...extra,
  };
}
