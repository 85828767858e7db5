import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Topics, createEvent, toKafkaMessage } from '@solar/contracts';
import type { Env } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { ADMIN, SaslKafka } from '../support/sasl-kafka';
import { TestStack } from '../support/stack';

/**
 * Security review finding 3, its broker half: `EmailRequested` carries links with tokens, so whoever
 * can read its topic can take over accounts, and whoever can write `identity.user.v1` can announce a
 * deletion. deploy/kafka/acls.sh gives each service's principal only its own topics and group. Here
 * it runs against a broker with SASL and an authorizer that refuses what no ACL allows: the four
 * services work on their own principals, and each principal's leaked credential is refused what the
 * script does not give it.
 */
const stack = new TestStack('sec-kafka-acls');
const services = ['identity', 'notification', 'lifecycle', 'gateway'] as const;
type Principal = (typeof services)[number];
const passwords = Object.fromEntries(services.map((s) => [s, randomBytes(12).toString('hex')])) as Record<Principal, string>;
const broker = new SaslKafka(stack.name, passwords);
const mailpit = new Mailpit(stack.infra.mailpitUrl);
let gatewayUrl = '';
const api = apiClient(stack, () => gatewayUrl);

const onPrincipal = (who: Principal): Env => ({
  KAFKA_BROKERS: broker.brokers,
  KAFKA_SASL_MECHANISM: 'plain',
  KAFKA_SASL_USERNAME: who,
  KAFKA_SASL_PASSWORD: passwords[who],
});

const REFUSED = /not authorized|authorization[_ ]failed/i;

/** Resolves with the first record the principal reads in the group; rejects with the broker's refusal. */
async function readAs(who: Principal, topic: string, group = `${stack.topicPrefix}${who}`): Promise<void> {
  const refusals: string[] = [];
  const consumer = broker
    .client(who, undefined, refusals)
    .consumer({ groupId: group, allowAutoTopicCreation: false, retry: { retries: 0 } });
  try {
    await new Promise<void>((resolve, reject) => {
      // A refused fetch or join surfaces as a crash after run() has returned.
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
      const timer = setTimeout(() => reject(new Error('nothing read and nothing refused within 20 s')), 20_000);
      consumer
        .connect()
        .then(() => consumer.subscribe({ topics: [stack.topic(topic)], fromBeginning: true }))
        .then(() =>
          consumer.run({
            eachMessage: async () => {
              clearTimeout(timer);
              resolve();
            },
          }),
        )
        .catch(reject);
    });
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)} (${refusals.join(', ')})`, { cause: error });
  } finally {
    await consumer.disconnect();
  }
}

async function writeAs(who: Principal, topic: string): Promise<void> {
  const producer = broker.client(who).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const forged = createEvent('UserDeleted', {
      source: '/identity',
      subject: randomUUID(),
      data: { userId: randomUUID(), email: 'victim@example.test', deletionRequestId: randomUUID() },
    });
    await producer.send({ topic: stack.topic(topic), messages: [toKafkaMessage(forged)] });
  } finally {
    await producer.disconnect();
  }
}

beforeAll(async () => {
  await broker.start();
  await promisify(execFile)('bash', [join(__dirname, '../../../deploy/kafka/acls.sh')], {
    env: {
      ...process.env,
      BOOTSTRAP: broker.brokers,
      ADMIN_CONFIG: broker.adminConfig(),
      PREFIX: stack.topicPrefix,
      KAFKA_ACLS: broker.aclCommand(),
    },
  });
  // Notification first: a service must not wait for the producers of what it reads to start. Its
  // consumer is critical, so it is ready only once it has created and joined its topics.
  const notification = await stack.startNotification(onPrincipal('notification'));
  await waitFor(async () => ((await fetch(`${notification.url}/readyz`)).ok ? true : undefined), {
    timeoutMs: 30_000,
    what: 'notification to be ready before identity has created the topics it reads',
  });
  await stack.startIdentity(onPrincipal('identity'));
  gatewayUrl = (
    await stack.startGateway({ ...onPrincipal('gateway'), QUOTAS_ENABLED: 'true', REDIS_URL: stack.infra.redisUrl, QUOTA_USER: '100' })
  ).url;
  await stack.startLifecycle(onPrincipal('lifecycle'));
}, 240_000);

afterAll(async () => {
  await stack.stop();
  await broker.stop();
});

it('lets each service do its work on its own principal: a registration is mailed and its delivery read', async () => {
  const email = `acl.${stack.name}@example.test`.toLowerCase();
  await expectJson(await api('/auth/register', { body: { email, password: 'correct horse battery staple' } }), 201);
  await waitFor(async () => ((await mailpit.search(`to:"${email}"`)).length === 1 ? true : undefined), {
    timeoutMs: 60_000,
    what: 'the verification email, through identity → Kafka → notification',
  });
  const admin = broker.client('lifecycle').admin();
  await admin.connect();
  try {
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({
          groupId: `${stack.topicPrefix}lifecycle`,
          topics: [stack.topic(Topics.notificationDeliveries)],
        });
        return offsets?.partitions.some((p) => Number(p.offset) > 0) ? true : undefined;
      },
      { timeoutMs: 60_000, what: "lifecycle's group to read notification's delivery event" },
    );
  } finally {
    await admin.disconnect();
  }
});

describe('a leaked credential is refused what its service does not need', () => {
  // The services stop, so that the groups are free for the test's consumers, which must find a record
  // on every partition past what the services read.
  beforeAll(async () => {
    await stack.stop();
    const producer = broker.client(ADMIN).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const topics = [Topics.notificationEmailRequests, Topics.identityUser, Topics.lifecycle];
    await producer.sendBatch({
      topicMessages: topics.map((topic) => ({
        topic: stack.topic(topic),
        messages: [0, 1, 2].map((partition) => ({ partition, value: 'seed' })),
      })),
    });
    await producer.disconnect();
  });

  it.each([
    ['notification', Topics.notificationEmailRequests],
    ['gateway', Topics.lifecycle],
  ] as const)('%s reads %s in its group (the probe works)', async (who, topic) => {
    await expect(readAs(who, topic)).resolves.toBeUndefined();
  });

  it.each([
    ['gateway', Topics.notificationEmailRequests],
    ['lifecycle', Topics.notificationEmailRequests],
    ['identity', Topics.notificationEmailRequests],
    ['gateway', Topics.identityUser],
  ] as const)('%s cannot read %s', async (who, topic) => {
    await expect(readAs(who, topic)).rejects.toThrow(REFUSED);
  });

  it("the gateway cannot read its own topic in notification's group", async () => {
    await expect(readAs('gateway', Topics.lifecycle, `${stack.topicPrefix}notification`)).rejects.toThrow(REFUSED);
  });

  it.each([
    ['gateway', Topics.identityUser],
    ['notification', Topics.identityUser],
    // A forged state record would hand an integrator's mirror an admin that is not one.
    ['lifecycle', Topics.identityUserState],
    ['lifecycle', Topics.identitySecurity],
    ['gateway', Topics.notificationEmailRequests],
    ['lifecycle', Topics.notificationEmailRequests],
  ] as const)('%s cannot write %s', async (who, topic) => {
    await expect(writeAs(who, topic)).rejects.toThrow(REFUSED);
  });

  it('a wrong password is refused at the handshake', async () => {
    const admin = broker.client('gateway', 'guessed').admin();
    await expect(admin.connect()).rejects.toThrow(/SASL|authentication/i);
  });
});
