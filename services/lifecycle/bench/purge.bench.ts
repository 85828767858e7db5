/**
 * `npm run bench:purge`: 10,000 deletions fall due at the same instant. Lifecycle (its Agenda jobs,
 * on a fresh database and topic prefix) must publish one DeletionGracePeriodExpired per request; the
 * rate is counted from purgeAt to the last event read back from Kafka.
 *
 * Needs the local servers (`npm run infra`, or the variables of `.local/test/env`): KAFKA_BROKERS and
 * MONGO_URL. BENCH_ACCOUNTS and JOBS_CONCURRENCY change the size and lifecycle's parallelism.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mongoose from 'mongoose';
import { createEvent, toKafkaMessage, Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, uniqueName, waitFor } from '@solar/chassis/testing';
import { PURGE_JOB } from '../src/jobs/job-scheduler';
import { createLifecycleService } from '../src/main';

const accounts = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const mongoUrl = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27018/bench';

function databaseUrl(database: string): string {
  const url = new URL(mongoUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function main(): Promise<void> {
  const name = uniqueName('bench-purge');
  const prefix = `${name}.`;
  const kafka = new Kafka({ brokers: brokers.split(','), clientId: 'bench', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [`${prefix}${Topics.identityUser}`, `${prefix}${Topics.lifecycle}`]);
  const expired = new KafkaCollector(brokers, [`${prefix}${Topics.lifecycle}`]);
  await expired.start();
  const lifecycle = createLifecycleService({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: prefix,
    MONGO_URL: databaseUrl(`${name}-lifecycle`),
    JOBS_PROCESS_EVERY: '1s',
    JOBS_CONCURRENCY: process.env.JOBS_CONCURRENCY ?? '50',
  });
  await lifecycle.start();

  // Far enough ahead for every request to be scheduled before the first falls due.
  const purgeAt = new Date(Date.now() + 30_000 + accounts * 15);
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const scheduling = Date.now();
  for (let i = 0; i < accounts; i += 500) {
    const messages = Array.from({ length: Math.min(500, accounts - i) }, () => {
      const userId = `bench-${randomUUID()}`;
      return toKafkaMessage(
        createEvent('DeletionRequested', {
          source: '/identity',
          subject: userId,
          data: { userId, email: `${userId}@bench.test`, deletionRequestId: randomUUID(), purgeAt: purgeAt.toISOString() },
        }),
      );
    });
    await producer.send({ topic: `${prefix}${Topics.identityUser}`, messages });
  }
  await producer.disconnect();
  console.log(`${accounts} DeletionRequested published in ${Date.now() - scheduling} ms; all due at ${purgeAt.toISOString()}`);
  const db = await mongoose.createConnection(databaseUrl(`${name}-lifecycle`)).asPromise();
  await waitFor(async () => ((await db.collection('agendaJobs').countDocuments({ name: PURGE_JOB })) >= accounts ? true : undefined), {
    timeoutMs: 30 * 60_000,
    intervalMs: 500,
    what: `${accounts} purge jobs`,
  });
  await db.close();
  const scheduled = Date.now();
  console.log(
    `${accounts} purge jobs scheduled in ${((scheduled - scheduling) / 1000).toFixed(1)} s ` +
      `(${(accounts / ((scheduled - scheduling) / 1000)).toFixed(0)}/s), ${((purgeAt.getTime() - scheduled) / 1000).toFixed(1)} s before purgeAt`,
  );
  if (scheduled > purgeAt.getTime()) console.log('  (scheduling overran purgeAt: the rate below includes it; raise the lead time)');

  const isExpired = (m: { message: { headers?: Record<string, unknown> } }) =>
    String(m.message.headers?.ce_type).endsWith('.DeletionGracePeriodExpired.v1');
  let last = 0;
  await waitFor(
    () => {
      const count = expired.messages.filter(isExpired).length;
      if (count !== last && count % 1000 < last % 1000) console.log(`  ${count} published`);
      last = count;
      return count >= accounts ? true : undefined;
    },
    { timeoutMs: 30 * 60_000, intervalMs: 200, what: `${accounts} DeletionGracePeriodExpired events` },
  );
  const times = expired.messages.filter(isExpired).map((m) => Number((m.message as { timestamp: string }).timestamp));
  const first = Math.min(...times);
  const lastAt = Math.max(...times);
  const seconds = (lastAt - purgeAt.getTime()) / 1000;
  console.log(
    `lifecycle: ${accounts} jobs → ${times.length} DeletionGracePeriodExpired; first ${first - purgeAt.getTime()} ms after purgeAt, ` +
      `last after ${seconds.toFixed(1)} s: ${(accounts / seconds).toFixed(0)} purges/s (JOBS_CONCURRENCY=${process.env.JOBS_CONCURRENCY ?? '50'})`,
  );
  await expired.stop();
  await lifecycle.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
