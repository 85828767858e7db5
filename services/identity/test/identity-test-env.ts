import { openApiDocument, type EventData } from '@solar/contracts';
import { mongoUrlFor, testInfra, testKeyRing, testSigningKeys, uniqueName, validatingFetch } from '@solar/chassis/testing';
import { createSealer, openEmailVariables, parseKeyRing, type Env } from '@solar/chassis';

/** The public API's spec, built as the gateway builds the one it serves. */
const apiSpec = openApiDocument();

/** A fetch to identity that fails the test when an answer of the public API departs from the spec. */
export const specFetch = (baseUrl: string) => validatingFetch(apiSpec, baseUrl);

/** The EMAIL_LINK_KEYS of this test file's identity (a key apart from its data key, as deployed). */
const EMAIL_LINK_KEYS = testKeyRing();

/** An email request's variables with its sealed links opened, as notification would read them. */
export function emailVariables(data: EventData<'EmailRequested'>): Record<string, string> {
  return openEmailVariables(createSealer(parseKeyRing(EMAIL_LINK_KEYS)), data);
}

/** Identity's variables for one test file: its own database and topic prefix on the shared servers. */
export function identityTestEnv(label: string, extra: Env = {}) {
  const infra = testInfra();
  const name = uniqueName(label);
  const env: Env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    MONGO_URL: mongoUrlFor(infra, `${name}-identity`),
    DATA_ENCRYPTION_KEYS: testKeyRing(),
    EMAIL_LINK_KEYS,
    JWT_SIGNING_KEYS: testSigningKeys(),
    APP_URL: 'https://app.solar.test',
    HOST: '127.0.0.1',
    PORT: '0',
    OUTBOX_SETTLE: '1s',
    OUTBOX_SWEEP_INTERVAL: '500ms',
    SHUTDOWN_TIMEOUT: '5s',
    ...extra,
  };
  return { infra, name, env, topic: (base: string) => `${name}.${base}` };
}
