/**
 * 10,000 accounts whose grace periods end at the same instant, purged end to end by the real services
 * (each its own Node process, on fresh databases and topics): lifecycle's Agenda job →
 * DeletionGracePeriodExpired → identity's purge → UserDeleted → notification's account-deleted email
 * accepted by SMTP (Mailpit) → EmailSent. Each stage is timed from the Kafka timestamps of what it published.
 *
 * The accounts are seeded as identity stores them (one precomputed argon2id hash for all: the purge
 * never checks a password), each with its deletion pending, and their DeletionRequested events are
 * published as identity's outbox would. The deletion-requested emails are not sent: they are not part
 * of the purge.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import mongoose from 'mongoose';
import { createEvent, fromKafkaMessage, isEvent, toKafkaMessage, Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, waitFor, type CollectedMessage } from '@solar/chassis/testing';
import { benchStack } from './support/run';

/** argon2id (identity's parameters) of a password nobody uses: computed once, as hashing 10,000 would take minutes. */
const PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$dJJdk0aYIsxip/xztUrN4A$H3NYJiOD7TVg7SRHq/u+QZg5fLYpKu6rZolaAsM2gPc';
const PURGE_JOB = 'deletion-grace-period-expired';
const BATCH = 500;
const MINUTES = 60_000;

const typeOf = ({ message }: CollectedMessage) => String(message.headers?.ce_type ?? '');
const timeOf = ({ message }: CollectedMessage) => Number(message.timestamp);

export interface PurgeOptions {
  accounts: number;
  /** Lifecycle's JOBS_CONCURRENCY. */
  jobsConcurrency: number;
  /** Seconds from seeding to purgeAt; by default enough to seed and schedule every account first. */
  leadSeconds?: number;
}

export interface PurgeResult {
  accounts: number;
  jobsConcurrency: number;
  purgeAt: string;
  seedingSeconds: number;
  schedulingSeconds: number;
  stages: Stage[];
  endToEnd: { seconds: number; perSecond: number };
}

interface Stage {
  stage: string;
  count: number;
  firstAfterPurgeAtMs: number;
  lastAfterPurgeAtMs: number;
  /** Over the stage's own span, first to last event. */
  perSecond: number;
}

function stageOf(stage: string, times: number[], purgeAt: number): Stage {
  const first = Math.min(...times);
  const last = Math.max(...times);
  return {
    stage,
    count: times.length,
    firstAfterPurgeAtMs: first - purgeAt,
    lastAfterPurgeAtMs: last - purgeAt,
    perSecond: Math.round(times.length / Math.max((last - first) / 1000, 0.001)),
  };
}

export async function runPurge({ accounts, jobsConcurrency, leadSeconds }: PurgeOptions): Promise<PurgeResult> {
  const concurrency = String(jobsConcurrency);
  const stack = benchStack('bench-purge');
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'bench', logLevel: logLevel.NOTHING });
  const topics = {
    user: stack.topic(Topics.identityUser),
    lifecycle: stack.topic(Topics.lifecycle),
    deliveries: stack.topic(Topics.notificationDeliveries),
  };
  await ensureTopics(kafka, [...Object.values(topics), stack.topic(Topics.notificationEmailRequests)]);
  const collector = new KafkaCollector(stack.infra.kafkaBrokers, Object.values(topics));
  await collector.start();
  await stack.startIdentity();
  await stack.startNotification();
  await stack.startLifecycle({ JOBS_PROCESS_EVERY: '1s', JOBS_CONCURRENCY: concurrency });
  const identityDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  const lifecycleDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-lifecycle`)).asPromise();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();

  // Far enough ahead for every account to be seeded and every job scheduled before the first falls due.
  const seeding = Date.now();
  const purgeAt = new Date(seeding + (leadSeconds ?? 30 + accounts * 0.015) * 1000);
  for (let i = 0; i < accounts; i += BATCH) {
    const requestedAt = new Date();
    const batch = Array.from({ length: Math.min(BATCH, accounts - i) }, (_, j) => {
      const userId = randomUUID();
      const email = `bench-${i + j}.${stack.name}@bench.test`.toLowerCase();
      const deletion = { requestId: randomUUID(), reason: 'requested' as const, requestedAt, purgeAt, purgeStartedAt: null };
      return { userId, email, deletion };
    });
    await identityDb.collection('users').insertMany(
      batch.map(({ userId, email, deletion }) => ({
        _id: userId as never, // identity keys users by a UUID string, not an ObjectId
        email,
        passwordHash: PASSWORD_HASH,
        roles: ['user'],
        displayName: null,
        emailVerifiedAt: requestedAt,
        passwordChangedAt: null,
        tokens: [],
        deletion,
        lastSignInAt: null,
        inactivityWarnedAt: null,
        outbox: [],
        createdAt: requestedAt,
        updatedAt: requestedAt,
      })),
    );
    await producer.send({
      topic: topics.user,
      messages: batch.map(({ userId, email, deletion }) =>
        toKafkaMessage(
          createEvent('DeletionRequested', {
            source: '/identity',
            subject: userId,
            time: requestedAt,
            data: { userId, email, deletionRequestId: deletion.requestId, purgeAt: purgeAt.toISOString(), reason: 'requested' },
          }),
        ),
      ),
    });
  }
  await producer.disconnect();
  const seeded = Date.now();
  console.log(`${accounts} accounts seeded and their DeletionRequested published in ${((seeded - seeding) / 1000).toFixed(1)} s`);

  await waitFor(
    async () => ((await lifecycleDb.collection('agendaJobs').countDocuments({ name: PURGE_JOB })) >= accounts ? true : undefined),
    { timeoutMs: 30 * MINUTES, intervalMs: 500, what: `${accounts} purge jobs` },
  );
  const scheduled = Date.now();
  console.log(
    `${accounts} purge jobs scheduled ${((scheduled - seeded) / 1000).toFixed(1)} s later; ` +
      `all due at ${purgeAt.toISOString()}, ${((purgeAt.getTime() - scheduled) / 1000).toFixed(1)} s from now`,
  );
  if (scheduled > purgeAt.getTime()) console.log('  (scheduling overran purgeAt: give it a longer lead)');

  const expired = (m: CollectedMessage) => typeOf(m).endsWith('.DeletionGracePeriodExpired.v1');
  const deleted = (m: CollectedMessage) => typeOf(m).endsWith('.UserDeleted.v1');
  const farewell = (m: CollectedMessage) => {
    if (!typeOf(m).endsWith('.EmailSent.v1')) return false;
    const event = fromKafkaMessage({ key: m.message.key, value: m.message.value, headers: m.message.headers ?? {} });
    return isEvent(event, 'EmailSent') && event.data.template === 'account-deleted';
  };
  let reported = 0;
  await waitFor(
    () => {
      const emails = collector.messages.filter(farewell).length;
      if (Date.now() - reported >= 15_000) {
        reported = Date.now();
        const count = (predicate: (m: CollectedMessage) => boolean) => collector.messages.filter(predicate).length;
        console.log(
          `  +${((Date.now() - purgeAt.getTime()) / 1000).toFixed(0)} s: ${count(expired)} expired, ${count(deleted)} deleted, ${emails} emails`,
        );
      }
      return emails >= accounts ? true : undefined;
    },
    { timeoutMs: 60 * MINUTES, intervalMs: 500, what: `${accounts} account-deleted emails` },
  );

  const due = purgeAt.getTime();
  const stages = [
    stageOf('lifecycle: job → DeletionGracePeriodExpired', collector.messages.filter(expired).map(timeOf), due),
    stageOf('identity: purge → UserDeleted', collector.messages.filter(deleted).map(timeOf), due),
    stageOf('notification: account-deleted email → EmailSent', collector.messages.filter(farewell).map(timeOf), due),
  ];
  const endToEndSeconds = stages[2]!.lastAfterPurgeAtMs / 1000;
  const result: PurgeResult = {
    accounts,
    jobsConcurrency,
    purgeAt: purgeAt.toISOString(),
    seedingSeconds: (seeded - seeding) / 1000,
    schedulingSeconds: (scheduled - seeded) / 1000,
    stages,
    endToEnd: { seconds: endToEndSeconds, perSecond: Math.round(accounts / endToEndSeconds) },
  };
  for (const stage of stages) {
    console.log(
      `${stage.stage}: ${stage.count} events, first +${stage.firstAfterPurgeAtMs} ms, last +${(stage.lastAfterPurgeAtMs / 1000).toFixed(1)} s, ` +
        `${stage.perSecond}/s`,
    );
  }
  console.log(
    `end to end: ${accounts} accounts purged and told in ${endToEndSeconds.toFixed(1)} s after purgeAt: ${result.endToEnd.perSecond}/s`,
  );
  await collector.stop();
  await stack.stop();
  await Promise.all([identityDb.close(), lifecycleDb.close()]);
  return result;
}
