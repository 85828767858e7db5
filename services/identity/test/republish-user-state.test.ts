import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { ConfigResourceTypes } from 'kafkajs';
import { Topics, fromKafkaMessage, isEvent } from '@solar/contracts';
import { KafkaCollector } from '@solar/chassis/testing';
import { runRepublishUserState } from '../src/cli/republish-user-state';
import { userModel, type UserDocument } from '../src/users/user.model';
import { identityTestEnv } from './identity-test-env';

const { infra, name, env, topic } = identityTestEnv('republish-user-state');
const stateTopic = topic(Topics.identityUserState);
const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
let db: Connection;
const now = new Date('2026-03-01T10:00:00Z');
const purgeAt = new Date('2026-03-31T10:00:00Z');

const lines = () => {
  const out = { log: [] as string[], error: [] as string[] };
  return { out, sink: { log: (line: string) => out.log.push(line), error: (line: string) => out.error.push(line) } };
};

function account(i: number, extra: Partial<UserDocument> = {}): Partial<UserDocument> {
  return {
    _id: `user-${i}`,
    email: `user-${i}.${name}@example.test`.toLowerCase(),
    passwordHash: 'not a real hash',
    roles: ['user'],
    displayName: `User ${i}`,
    emailVerifiedAt: now,
    deletion: null,
    ...extra,
  };
}

beforeAll(async () => {
  db = await mongoose.createConnection(env.MONGO_URL!).asPromise();
  const users = userModel(db);
  await users.init();
  await users.create([
    account(1),
    account(2, { emailVerifiedAt: null, locale: 'de' }),
    account(3, {
      roles: ['user', 'admin'],
      deletion: { requestId: 'r3', reason: 'requested', requestedAt: now, purgeAt, purgeStartedAt: null },
    }),
    account(4),
    account(5),
    // Being purged: its tombstone may already be out, so no state may follow it.
    account(6, { deletion: { requestId: 'r6', reason: 'requested', requestedAt: now, purgeAt: now, purgeStartedAt: now } }),
  ]);
});

afterAll(async () => {
  await db?.close();
});

describe('republish-user-state', () => {
  it('publishes every live account to a compacted topic, in pages, and may run again', async () => {
    for (let run = 1; run <= 2; run++) {
      const { out, sink } = lines();
      expect(await runRepublishUserState(['--page-size', '2'], env, sink)).toBe(0);
      expect(out.log).toEqual([
        '2 accounts republished',
        '4 accounts republished',
        '5 accounts republished',
        expect.stringContaining('done: 5'),
      ]);
    }

    const collector = new KafkaCollector(infra.kafkaBrokers, [stateTopic]);
    await collector.start();
    try {
      const records = await collector.waitForCount(() => true, 10);
      const states = records.map((m) => {
        const event = fromKafkaMessage(m.message);
        if (!isEvent(event, 'UserState')) throw new Error(`unexpected ${event.type}`);
        expect(m.message.key?.toString()).toBe(event.data.id);
        return event.data;
      });
      const latest = new Map(states.map((state) => [state.id, state]));
      expect([...latest.keys()].sort()).toEqual(['user-1', 'user-2', 'user-3', 'user-4', 'user-5']);
      expect(latest.get('user-2')).toEqual({
        id: 'user-2',
        email: `user-2.${name}@example.test`.toLowerCase(),
        emailVerified: false,
        roles: ['user'],
        displayName: 'User 2',
        locale: 'de',
        twoFactorEnabled: false,
        disabled: false,
        pendingDeletion: null,
        createdAt: expect.any(String),
      });
      expect(latest.get('user-3')).toMatchObject({ roles: ['user', 'admin'], pendingDeletion: { purgeAt: purgeAt.toISOString() } });
      // A repeat republishes the same state, and nothing else is left in the accounts' outboxes.
      expect(states.filter((state) => state.id === 'user-1')).toHaveLength(2);
      expect(await db.collection('users').countDocuments({ 'outbox.0': { $exists: true } })).toBe(0);
    } finally {
      await collector.stop();
    }

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [{ type: ConfigResourceTypes.TOPIC, name: stateTopic, configNames: ['cleanup.policy'] }],
      });
      expect(resources[0]?.configEntries).toEqual([expect.objectContaining({ configName: 'cleanup.policy', configValue: 'compact' })]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses bad usage with exit 2', async () => {
    for (const args of [['--page-size'], ['--page-size', '0'], ['--page-size', 'many'], ['--pages', '2'], ['--page-size', '2', 'extra']]) {
      const { out, sink } = lines();
      expect(await runRepublishUserState(args, env, sink)).toBe(2);
      expect(out.error).toEqual([expect.stringContaining('usage')]);
    }
  });
});
