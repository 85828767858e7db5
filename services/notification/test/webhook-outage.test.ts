/**
 * Receivers that fail, through the real stack: one answering 503 while many accounts register gets
 * every event once it recovers (repeats under the same `webhook-id`, each account in order); one that
 * never recovers ends disabled, with exactly one alert (counter and alert webhook; an error log) and one
 * email to the webhook admins; two replicas on one database send each event once. The full-size
 * outage (2 minutes, 500 accounts) is e2e/chaos/webhook-outage.chaos.test.ts.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startTokenIssuer, waitFor } from '@solar/chassis/testing';
import { createNotificationService } from '../src/main';
import { startRecordingReceiver } from './support/recording-receiver';
import { accountEvents, webhookAdmin } from './support/webhook-admin';
import { startNotification, testAddress, waitForMail, mailTo, type RunningNotification } from './webhooks-harness';

const ACCOUNTS = Number(process.env.WEBHOOK_OUTAGE_ACCOUNTS ?? 60);
const OUTAGE_MS = Number(process.env.WEBHOOK_OUTAGE_MS ?? 4_000);

let issuer: Awaited<ReturnType<typeof startTokenIssuer>>;
let receiver: Awaited<ReturnType<typeof startRecordingReceiver>>;
let hooks: RunningNotification;
const adminAddress = testAddress('webhook-admin');

beforeAll(async () => {
  issuer = await startTokenIssuer();
  receiver = await startRecordingReceiver();
  hooks = await startNotification('webhook-outage', {
    IDENTITY_JWKS_URL: issuer.jwksUrl,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_POLL_INTERVAL: '100ms',
    WEBHOOK_RETRY_BASE: '100ms',
    WEBHOOK_RETRY_MAX: '1s',
    WEBHOOK_TIMEOUT: '2s',
    // Long enough for the outage of the first test, short for the receiver that never recovers.
    WEBHOOK_DISABLE_AFTER: `${OUTAGE_MS + 4_000}ms`,
    WEBHOOK_RETRY_FOR: '1h',
    WEBHOOK_ADMIN_EMAILS: adminAddress,
    ALERT_WEBHOOK_URL: `${receiver.base}/alerts`,
  });
});

afterAll(async () => {
  await hooks?.stop();
  await receiver?.stop();
  await issuer?.stop();
});

it(`delivers every event of ${ACCOUNTS} accounts registering during an outage, in order per account, repeats under the same id`, async () => {
  const admin = webhookAdmin(hooks.url, issuer);
  await admin.register(`${receiver.base}/outage`);
  let down = true;
  receiver.answer('/outage', () => (down ? { status: 503 } : { status: 200 }));
  const accounts = Array.from({ length: ACCOUNTS }, () => accountEvents());

  await Promise.all(
    accounts.map(async (events) => {
      for (const event of events) await hooks.publish(event);
    }),
  );
  await waitFor(() => (receiver.on('/outage').length >= ACCOUNTS ? true : undefined), { timeoutMs: 30_000, what: 'failing attempts' });
  await sleep(OUTAGE_MS);
  down = false;
  const expected = ACCOUNTS * 3;
  await waitFor(
    () =>
      new Set(
        receiver
          .on('/outage')
          .filter((r) => r.status === 200)
          .map((r) => r.event.id),
      ).size === expected
        ? true
        : undefined,
    {
      timeoutMs: 120_000,
      what: `${expected} events delivered`,
    },
  );

  const receipts = receiver.on('/outage');
  expect(receipts.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(ACCOUNTS);
  for (const receipt of receipts) expect(receipt.headers['webhook-id']).toBe(receipt.event.id);
  for (const events of accounts) {
    const ids = events.map((event) => event.id);
    const seen = receipts.filter((r) => r.event.subject === events[0]?.subject).map((r) => ids.indexOf(r.event.id));
    // At least once and in order: an event is tried again until it lands, and never after a later one.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen)).toEqual(new Set([0, 1, 2]));
  }
}, 180_000);

it('disables a receiver that never recovers, with exactly one alert and one admin email', async () => {
  const admin = webhookAdmin(hooks.url, issuer);
  const { id } = await admin.register(`${receiver.base}/gone`, ['UserRegistered', 'EmailVerified']);
  receiver.answer('/gone', { status: 503 });
  for (const event of accountEvents()) await hooks.publish(event);

  const disabled = await waitFor(
    async () => {
      const endpoint = await admin.call('GET', `/admin/webhooks/${id}`);
      return endpoint.body.enabled === false ? endpoint.body : undefined;
    },
    { timeoutMs: 60_000, what: 'the endpoint disabled' },
  );
  const [mail] = await waitForMail(hooks.mailpit, adminAddress);
  const attemptsWhenDisabled = receiver.on('/gone').length;
  await sleep(1_500);
  const metrics = await (await fetch(hooks.metricsUrl)).text();

  expect(disabled).toMatchObject({ disabledReason: 'failing', failingSince: expect.any(String) });
  expect(mail?.Subject).toContain('webhook endpoint was disabled');
  expect(await mailTo(hooks.mailpit, adminAddress)).toHaveLength(1);
  expect(receiver.on('/alerts')).toHaveLength(1);
  expect(receiver.on('/alerts')[0]?.body).toContain(id);
  expect(metrics).toMatch(/solar_notification_webhook_endpoints_disabled_total\{[^}]*\} 1\n/);
  expect(receiver.on('/gone').length).toBe(attemptsWhenDisabled);
}, 90_000);

it('sends each event once with two replicas on one database, each claiming deliveries before sending', async () => {
  const second = createNotificationService(hooks.env);
  await second.start();
  try {
    const admin = webhookAdmin(hooks.url, issuer);
    await admin.register(`${receiver.base}/replicas`);
    const accounts = Array.from({ length: 30 }, () => accountEvents());
    for (const events of accounts) for (const event of events) await hooks.publish(event);

    await waitFor(() => (new Set(receiver.on('/replicas').map((r) => r.event.id)).size === 90 ? true : undefined), {
      timeoutMs: 60_000,
      what: '90 events',
    });
    await sleep(1_000);
    expect(receiver.on('/replicas')).toHaveLength(90);
  } finally {
    await second.stop();
  }
}, 90_000);
