import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics, registry } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { KafkaCollector, waitFor, type CollectedMessage } from '@solar/chassis/testing';
import { createIdentityService } from '../src/main';
import { identityTestEnv, specFetch } from './identity-test-env';

/**
 * A real crash: identity runs as its own process with Kafka out of reach, stores a registration,
 * and is killed with SIGKILL before it could publish. The next identity process must publish the
 * stored events, once each.
 */
const { infra, name, env, topic } = identityTestEnv('identity-crash');
const SERVER = path.resolve(__dirname, '../dist/src/server.js');
const topics = [topic(Topics.identityUser), topic(Topics.identityUserState), topic(Topics.notificationEmailRequests)];
const collector = new KafkaCollector(infra.kafkaBrokers, topics);
let db: Connection;
let restarted: Service | undefined;

const email = `crash.${name}@example.test`.toLowerCase();
const about = (type: 'UserRegistered' | 'EmailRequested', who: string) => (m: CollectedMessage) =>
  m.message.headers?.ce_type?.toString() === registry[type].type && (m.message.value?.toString() ?? '').includes(`"${who}"`);

beforeAll(async () => {
  if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: build first (npm test runs tsc -b)`);
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await collector.start();
  db = await mongoose.createConnection(env.MONGO_URL!).asPromise();
});

afterAll(async () => {
  await collector.stop();
  await restarted?.stop();
  await db?.close();
});

it('publishes what a killed process stored but never sent, exactly once', async () => {
  let userId = '';
  const port = await freePort();
  const child = spawn(process.execPath, [SERVER], {
    // Any free metrics port: the default 9464 may be another test file's at this moment.
    env: { ...process.env, ...env, PORT: String(port), METRICS_PORT: '0', KAFKA_BROKERS: '127.0.0.1:1', LOG_LEVEL: 'fatal' },
    stdio: 'ignore',
  });
  try {
    await waitFor(async () => ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok ? true : undefined), {
      what: 'identity process to start',
      // Loading a whole service (OpenTelemetry, oidc-provider, mongoose) takes seconds, more on a busy machine.
      timeoutMs: 60_000,
    });
    const response = await specFetch(`http://127.0.0.1:${port}`)(`http://127.0.0.1:${port}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'stored before the crash' }),
    });
    expect(response.status).toBe(201);
    const stored = await db.collection('users').findOne({ email });
    userId = String(stored?._id);
    // UserRegistered, the verification email, and the account's state snapshot (rendered when published).
    expect(stored?.outbox).toHaveLength(3);
    // What waits in the outbox is sealed: neither the password nor the verification link rests in clear.
    expect(JSON.stringify(stored?.outbox)).not.toMatch(/stored before the crash|verify-email|token=/);
  } finally {
    await kill(child);
  }
  expect(collector.messages.filter(about('UserRegistered', email))).toHaveLength(0);

  restarted = createIdentityService(env);
  await restarted.start();
  await collector.waitForCount(about('UserRegistered', email), 1);
  await collector.waitForCount(about('EmailRequested', email), 1);
  await waitFor(async () => ((await db.collection('users').findOne({ email }))?.outbox.length === 0 ? true : undefined), {
    what: 'the outbox to empty',
  });

  // The relay removes entries once Kafka has them, so every copy it sent is on the topics now; read
  // to their end, on every partition, a copy sent twice is among what was collected.
  await collector.caughtUp();
  expect(collector.messages.filter(about('UserRegistered', email))).toHaveLength(1);
  expect(collector.messages.filter(about('EmailRequested', email))).toHaveLength(1);
  const states = collector.messages.filter((m) => m.topic === topic(Topics.identityUserState) && m.message.key?.toString() === userId);
  expect(states.map((m) => JSON.parse(m.message.value!.toString()) as unknown)).toEqual([
    expect.objectContaining({ id: userId, email, emailVerified: false }),
  ]);
}, 120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
