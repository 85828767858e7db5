/**
 * UserDeleted through Kafka against the real stack: the account-deleted email reaches Mailpit once,
 * however often the event comes, and afterwards no document in notification's database holds the
 * address or the user id; only anonymous counts remain.
 */
import { randomUUID } from 'node:crypto';
import { createEvent } from '@solar/contracts';
import { waitFor } from '@solar/chassis/testing';
import { mailgunSignature } from './webhooks-signers';
import {
  emailRequested,
  mailTo,
  startNotification,
  testAddress,
  userDeleted,
  waitForMail,
  type RunningNotification,
} from './webhooks-harness';
import { specFetch } from './notification-test-env';
import { accountDeletedRequestId } from '../src/erasure/erase-user.use-case';

const MAILGUN_KEY = 'mailgun-erasure-signing-key';
let notification: RunningNotification;

beforeAll(async () => {
  notification = await startNotification('erasure', { MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY });
});

afterAll(async () => {
  await notification?.stop();
});

/** Every document of every collection, as text, that mentions one of the needles (case-insensitively). */
async function documentsMentioning(...needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const collections = await notification.db.db!.listCollections().toArray();
  for (const { name } of collections) {
    for (const doc of await notification.db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc).toLowerCase();
      if (needles.some((needle) => text.includes(needle.toLowerCase()))) found.push(`${name}: ${text}`);
    }
  }
  return found;
}

async function mailgunEvent(eventData: object) {
  const response = await specFetch(notification.url)(`${notification.url}/webhooks/email/mailgun`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ signature: mailgunSignature(MAILGUN_KEY, String(Math.floor(Date.now() / 1000))), 'event-data': eventData }),
  });
  expect(response.status).toBe(200);
}

it('sends account-deleted once, even when UserDeleted is redelivered, then erases the user', async () => {
  const address = testAddress('erase');
  const userId = `user-${randomUUID()}`;
  // Something to erase: an earlier email with the user id, and a soft bounce that names the address.
  const earlier = emailRequested({ template: 'password-changed', to: address, variables: {}, userId });
  await notification.publish(earlier);
  await waitForMail(notification.mailpit, address, 1);
  await mailgunEvent({
    event: 'failed',
    severity: 'temporary',
    recipient: address,
    timestamp: Math.floor(Date.now() / 1000),
    id: randomUUID(),
  });
  expect(await documentsMentioning(address)).not.toEqual([]);

  const deleted = userDeleted({ userId, email: address, deletionRequestId: randomUUID() });
  await notification.publish(deleted);
  await notification.publish(deleted);
  const [sent] = await notification.deliveryEvents(accountDeletedRequestId(deleted.id));
  expect(sent).toMatchObject({ type: 'com.solar-intelligence.notification.EmailSent.v1', data: { template: 'account-deleted' } });

  const messages = await waitForMail(notification.mailpit, address, 2);
  await waitFor(async () => ((await documentsMentioning(address, userId)).length === 0 ? true : undefined), {
    timeoutMs: 20_000,
    what: 'no document naming the user',
  });

  // The same event once more, after erasure, as if the consumer had crashed before recording it as
  // processed: the anonymised delivery record still answers for it, so nothing is sent again.
  await notification.db.collection('processed_events').deleteMany({});
  await notification.consumed(await notification.publish(deleted));
  const after = await mailTo(notification.mailpit, address);
  expect(after).toHaveLength(2);
  expect(after.map((m) => m.ID).sort()).toEqual(messages.map((m) => m.ID).sort());
  expect(await documentsMentioning(address, userId)).toEqual([]);
  // The bounce stays counted, without the address.
  expect(await notification.db.collection('bounce_events').countDocuments({ address: null, kind: 'soft_bounce' })).toBe(1);
});

it('erases a suppressed user without sending to them', async () => {
  const address = testAddress('erase-suppressed');
  const userId = `user-${randomUUID()}`;
  await mailgunEvent({ event: 'complained', recipient: address, timestamp: Math.floor(Date.now() / 1000), id: randomUUID() });

  const deleted = userDeleted({ userId, email: address, deletionRequestId: randomUUID() });
  const landed = await notification.publish(deleted);
  const [failed] = await notification.deliveryEvents(accountDeletedRequestId(deleted.id));
  expect(failed?.data).toMatchObject({ reason: 'suppressed', template: 'account-deleted' });
  await waitFor(async () => ((await documentsMentioning(address, userId)).length === 0 ? true : undefined), {
    timeoutMs: 20_000,
    what: 'no document naming the user',
  });
  await notification.consumed(landed);
  expect(await mailTo(notification.mailpit, address)).toEqual([]);
});

it('erases what is kept under an address the account left (EmailChanged) as well', async () => {
  const former = testAddress('erase-former');
  const current = testAddress('erase-current');
  const userId = `user-${randomUUID()}`;
  await mailgunEvent({ event: 'complained', recipient: former, timestamp: Math.floor(Date.now() / 1000), id: randomUUID() });
  await notification.publish(
    createEvent('EmailChanged', {
      source: '/identity',
      subject: userId,
      data: { userId, previousEmail: former, email: current, via: 'change' },
    }),
  );
  await waitFor(async () => ((await documentsMentioning(former)).some((doc) => doc.startsWith('former_addresses')) ? true : undefined), {
    timeoutMs: 20_000,
    what: 'the former address recorded',
  });

  await notification.publish(userDeleted({ userId, email: current, deletionRequestId: randomUUID() }));
  await waitFor(async () => ((await documentsMentioning(former, current, userId)).length === 0 ? true : undefined), {
    timeoutMs: 20_000,
    what: 'no document naming the user or either address',
  });
});

it('answers 404 for webhooks that are not configured', async () => {
  for (const provider of ['sendgrid', 'ses']) {
    const response = await specFetch(notification.url)(`${notification.url}/webhooks/email/${provider}`, { method: 'POST', body: '[]' });
    expect(response.status).toBe(404);
  }
});
