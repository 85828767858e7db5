/**
 * What a public event costs when no endpoint wants it (every sign-in's LoginSucceeded, usually):
 * no database command at all, counted on the service's own connection. And what the cache of
 * subscriptions that buys must not lose: an endpoint written on this replica gets the next event at
 * once; one written on another replica gets every event queued WEBHOOK_SUBSCRIPTIONS_TTL after.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import { createEvent, registry, type AnyCloudEvent } from '@solar/contracts';
import { startTokenIssuer, waitFor } from '@solar/chassis/testing';
import { startRecordingReceiver } from './support/recording-receiver';
import { webhookAdmin } from './support/webhook-admin';
import { startNotification, type RunningNotification } from './webhooks-harness';

const TTL_MS = 500;
const TOPIC = registry.LoginSucceeded.topic;

let issuer: Awaited<ReturnType<typeof startTokenIssuer>>;
let receiver: Awaited<ReturnType<typeof startRecordingReceiver>>;
const running: RunningNotification[] = [];

beforeAll(async () => {
  issuer = await startTokenIssuer();
  receiver = await startRecordingReceiver();
});

afterAll(async () => {
  for (const service of running) await service.stop();
  await receiver?.stop();
  await issuer?.stop();
});

async function replica(label: string, extra: Record<string, string> = {}) {
  const service = await startNotification(label, {
    IDENTITY_JWKS_URL: issuer.jwksUrl,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    // No delivery round of its own in the window a test counts; the one that must deliver says so.
    WEBHOOK_POLL_INTERVAL: '1h',
    ...extra,
  });
  running.push(service);
  return service;
}

const signIn = (userId = randomUUID()) =>
  createEvent('LoginSucceeded', {
    source: '/identity',
    subject: userId,
    data: { userId, sessionId: randomUUID(), factors: ['password'] },
  }) as AnyCloudEvent;

/** Messages of LoginSucceeded's topic the service's consumer finished with, whatever the outcome. */
async function consumed(service: RunningNotification): Promise<number> {
  const text = await (await fetch(service.metricsUrl)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('solar_kafka_messages_total{') && line.includes(`topic="${TOPIC}"`))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

async function publishAndWait(service: RunningNotification, events: AnyCloudEvent[]): Promise<void> {
  const target = (await consumed(service)) + events.length;
  for (const event of events) await service.publish(event);
  await waitFor(async () => ((await consumed(service)) >= target ? true : undefined), {
    timeoutMs: 30_000,
    what: `${target} consumed events`,
  });
}

/** Commands the service itself sends to its database (the driver reports them: it monitors for the metrics). */
function recordCommands(service: RunningNotification): { collection: string; command: string }[] {
  const seen: { collection: string; command: string }[] = [];
  const own = mongoose.connections.filter((connection) => connection.name === service.db.name && connection !== service.db);
  expect(own).toHaveLength(1);
  own[0]!.getClient().on('commandStarted', (event) => {
    seen.push({ command: event.commandName, collection: String((event.command as Record<string, unknown>)[event.commandName]) });
  });
  return seen;
}

const receiptIds = (path: string) => receiver.on(path).map((receipt) => receipt.headers['webhook-id']);

async function receivedOn(path: string, eventId: string) {
  return waitFor(() => (receiptIds(path).includes(eventId) ? receiptIds(path) : undefined), {
    timeoutMs: 30_000,
    what: `event ${eventId} on ${path}`,
  });
}

describe('a public event no endpoint subscribes to', () => {
  it('costs no database command: no endpoint lookup, no processed-event mark', async () => {
    const service = await replica('subscriptions-cost', { WEBHOOK_SUBSCRIPTIONS_TTL: '1h' });
    await publishAndWait(service, [signIn()]);
    const commands = recordCommands(service);

    await publishAndWait(service, [signIn(), signIn(), signIn(), signIn(), signIn()]);

    const webhookOrMark = /^(processed_events|webhook_)/;
    expect(commands.filter((command) => webhookOrMark.test(command.collection))).toEqual([]);
    const metrics = await (await fetch(service.metricsUrl)).text();
    expect(metrics).toMatch(new RegExp(`solar_kafka_messages_total\\{topic="${TOPIC}",outcome="ignored"[^}]*\\} 6\n`));
  });

  it('is queued at once for an endpoint registered on the same replica, the cache notwithstanding', async () => {
    const service = await replica('subscriptions-local', { WEBHOOK_SUBSCRIPTIONS_TTL: '1h', WEBHOOK_POLL_INTERVAL: '100ms' });
    await publishAndWait(service, [signIn()]);
    await webhookAdmin(service.url, issuer).register(`${receiver.base}/local`, ['LoginSucceeded']);
    const next = signIn();

    await service.publish(next);

    expect(await receivedOn('/local', next.id)).toEqual([next.id]);
  });
});

describe('an endpoint registered on another replica', () => {
  it(`gets every event queued WEBHOOK_SUBSCRIPTIONS_TTL (${TTL_MS} ms) after, from a replica that cached "nobody"`, async () => {
    const consuming = await replica('subscriptions-consumer', {
      WEBHOOK_SUBSCRIPTIONS_TTL: `${TTL_MS}ms`,
      WEBHOOK_POLL_INTERVAL: '100ms',
    });
    // The admin's replica shares the database and consumes none of these events.
    const adminReplica = await replica('subscriptions-admin', {
      MONGO_URL: consuming.env.MONGO_URL as string,
      DATA_ENCRYPTION_KEYS: consuming.env.DATA_ENCRYPTION_KEYS as string,
    });
    const before = signIn();
    await publishAndWait(consuming, [before]);

    await webhookAdmin(adminReplica.url, issuer).register(`${receiver.base}/remote`, ['LoginSucceeded']);
    await sleep(TTL_MS);
    const next = signIn();
    await consuming.publish(next);

    expect(await receivedOn('/remote', next.id)).toEqual([next.id]);
  });
});
