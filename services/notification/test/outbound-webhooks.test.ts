/**
 * Webhooks for integrators through the real stack (Kafka, Mongo-wire server) and a local receiver:
 * the admin API, Standard Webhooks signatures verified with the `standardwebhooks` package (either
 * secret during a rotation), CloudEvents bodies, the delivery log, replay, redirects not followed,
 * per-account order, and the SSRF refusals of destinations that are not public.
 */
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import { createWebhookReceiver, type SolarEvent } from '../examples/webhook-receiver';
import { startTokenIssuer, waitFor } from '@solar/chassis/testing';
import { startRecordingReceiver, type Receipt } from './support/recording-receiver';
import { accountEvents, webhookAdmin } from './support/webhook-admin';
import { startNotification, type RunningNotification } from './webhooks-harness';

let issuer: Awaited<ReturnType<typeof startTokenIssuer>>;
let receiver: Awaited<ReturnType<typeof startRecordingReceiver>>;
let hooks: RunningNotification;
let strict: RunningNotification;
let admin: ReturnType<typeof webhookAdmin>;
let strictAdmin: ReturnType<typeof webhookAdmin>;

const FAST_RETRIES = {
  WEBHOOK_POLL_INTERVAL: '100ms',
  WEBHOOK_RETRY_BASE: '100ms',
  WEBHOOK_RETRY_MAX: '400ms',
  WEBHOOK_TIMEOUT: '2s',
  WEBHOOK_LEASE: '10s',
  // Long enough for the tests that let a delivery fail a while, short for the one that waits for it to die.
  WEBHOOK_RETRY_FOR: '6s',
};

beforeAll(async () => {
  issuer = await startTokenIssuer();
  receiver = await startRecordingReceiver();
  hooks = await startNotification('outbound-webhooks', {
    IDENTITY_JWKS_URL: issuer.jwksUrl,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...FAST_RETRIES,
  });
  strict = await startNotification('outbound-webhooks-strict', { IDENTITY_JWKS_URL: issuer.jwksUrl });
  admin = webhookAdmin(hooks.url, issuer);
  strictAdmin = webhookAdmin(strict.url, issuer);
});

afterAll(async () => {
  await hooks?.stop();
  await strict?.stop();
  await receiver?.stop();
  await issuer?.stop();
});

const verify = (secret: string, receipt: Receipt) => new Webhook(secret).verify(receipt.body, receipt.headers);

async function receiptsOn(path: string, count: number) {
  return waitFor(() => (receiver.on(path).length >= count ? receiver.on(path) : undefined), {
    timeoutMs: 30_000,
    what: `${count} webhook(s) on ${path}`,
  });
}

describe('registering an endpoint', () => {
  it.each([
    'http://127.0.0.1/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://[fd00:ec2::254]/',
    'http://2130706433/hook',
    'http://0177.0.0.1/hook',
    'http://localhost/hook',
    'http://10.1.2.3/hook',
  ])('refuses %s without the allow-list', async (url) => {
    const response = await strictAdmin.call('POST', '/admin/webhooks', { url, eventTypes: ['UserRegistered'] });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'url', message: expect.stringContaining('refused') }],
    });
  });

  it('refuses moving an endpoint to a private address later', async () => {
    const own = await strictAdmin.call('POST', '/admin/webhooks', { url: 'https://93.184.215.14/hook', eventTypes: ['UserRegistered'] });
    const patched = await strictAdmin.call('PATCH', `/admin/webhooks/${String(own.body.id)}`, { url: 'http://[::1]/' });

    expect(own.status).toBe(201);
    expect(patched.status).toBe(400);
  });

  it('refuses a private event type such as EmailRequested, the state snapshots, and unknown ones', async () => {
    const response = await admin.call('POST', '/admin/webhooks', {
      url: `${receiver.base}/x`,
      eventTypes: ['UserRegistered', 'EmailRequested', 'UserState', 'Nope'],
    });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ path: 'eventTypes', message: expect.stringContaining('EmailRequested, UserState, Nope') }],
    });
  });

  it('is for admins only', async () => {
    const asUser = await webhookAdmin(hooks.url, issuer, ['user']).call('GET', '/admin/webhooks');
    expect(asUser.status).toBe(403);
  });

  it('shows the secret once, never in reads, and lists, updates and deletes the endpoint', async () => {
    const created = await admin.register(`${receiver.base}/crud`);
    const read = await admin.call('GET', `/admin/webhooks/${created.id}`);
    const listed = await admin.call('GET', '/admin/webhooks');
    const updated = await admin.call('PATCH', `/admin/webhooks/${created.id}`, { description: 'renamed', enabled: false });
    const deleted = await admin.call('DELETE', `/admin/webhooks/${created.id}`);
    const gone = await admin.call('GET', `/admin/webhooks/${created.id}`);

    expect(created.secret).toMatch(/^whsec_/);
    expect(JSON.stringify([read.body, listed.body])).not.toContain(created.secret);
    expect(listed.body.items?.map((item) => item.id)).toContain(created.id);
    expect(updated.body).toMatchObject({ description: 'renamed', enabled: false, disabledReason: 'admin' });
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
  });
});

describe('delivery', () => {
  it('sends a test event as a signed CloudEvent and logs the delivery without its payload', async () => {
    const { id, secret } = await admin.register(`${receiver.base}/test-event`);
    const sent = await admin.call('POST', `/admin/webhooks/${id}/test`);
    const [receipt] = await receiptsOn('/test-event', 1);
    const log = await waitFor(async () => ((await admin.deliveries(id))[0]?.status === 'delivered' ? admin.deliveries(id) : undefined));

    expect(sent.status).toBe(202);
    expect(receipt?.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(receipt?.headers['webhook-id']).toBe(sent.body.eventId);
    expect(verify(secret, receipt as Receipt)).toMatchObject({
      specversion: '1.0',
      id: sent.body.eventId,
      type: 'com.solar-intelligence.notification.WebhookTest.v1',
      subject: id,
    });
    expect(log).toEqual([
      expect.objectContaining({ eventId: sent.body.eventId, status: 'delivered', attempts: 1, lastStatus: 200, lastResponse: 'ok' }),
    ]);
    expect(JSON.stringify(log)).not.toContain('specversion');
  });

  it('signs with both secrets while one rotates, and with the new one alone after', async () => {
    const { id, secret: first } = await admin.register(`${receiver.base}/rotation`);
    const rotated = await admin.call('POST', `/admin/webhooks/${id}/rotate-secret`, { overlapSeconds: 3600 });
    const second = String(rotated.body.secret);
    await admin.call('POST', `/admin/webhooks/${id}/test`);
    const [during] = await receiptsOn('/rotation', 1);
    const again = await admin.call('POST', `/admin/webhooks/${id}/rotate-secret`, { overlapSeconds: 0 });
    const third = String(again.body.secret);
    await admin.call('POST', `/admin/webhooks/${id}/test`);
    const after = (await receiptsOn('/rotation', 2))[1] as Receipt;

    expect(rotated.status).toBe(200);
    expect(verify(first, during as Receipt)).toBeTruthy();
    expect(verify(second, during as Receipt)).toBeTruthy();
    expect(verify(third, after)).toBeTruthy();
    expect(() => verify(second, after)).toThrow();
    expect(() => verify(first, after)).toThrow();
  });

  it('delivers the subscribed public events from Kafka, in order per account, one failing account holding back only itself', async () => {
    const { id, secret } = await admin.register(`${receiver.base}/order`);
    const stuck = accountEvents();
    const flowing = accountEvents();
    const stuckAccount = stuck[0]?.subject;
    let failing = true;
    receiver.answer('/order', (event) => (failing && event.subject === stuckAccount ? { status: 503 } : { status: 200 }));

    for (const event of [...stuck, ...flowing]) await hooks.publish(event);
    await waitFor(() => (receiver.on('/order').filter((r) => r.event.subject === flowing[0]?.subject).length === 3 ? true : undefined), {
      timeoutMs: 30_000,
    });
    await waitFor(() => (receiver.on('/order').filter((r) => r.event.subject === stuckAccount).length >= 3 ? true : undefined));
    const whileFailing = receiver.on('/order').filter((r) => r.event.subject === stuckAccount);
    failing = false;
    await waitFor(() => (new Set(receiver.on('/order').map((r) => r.event.id)).size === 6 ? true : undefined), { timeoutMs: 30_000 });

    expect(new Set(whileFailing.map((r) => r.event.id))).toEqual(new Set([stuck[0]?.id]));
    for (const account of [stuck, flowing]) {
      const seen = receiver.on('/order').filter((r) => r.event.subject === account[0]?.subject && r.status === 200);
      expect(seen.map((r) => r.event.id)).toEqual(account.map((event) => event.id));
    }
    for (const receipt of receiver.on('/order')) {
      expect(receipt.headers['webhook-id']).toBe(receipt.event.id);
      expect(verify(secret, receipt)).toBeTruthy();
    }
    const log = await admin.deliveries(id);
    expect(log.find((entry) => entry.eventId === stuck[0]?.id)).toMatchObject({ status: 'delivered', lastStatus: 200 });
    expect(log.find((entry) => entry.eventId === stuck[0]?.id)?.attempts).toBeGreaterThan(1);
  });

  it('does not follow a redirect: it is a failed attempt, logged with its status', async () => {
    const { id } = await admin.register(`${receiver.base}/redirect`, ['UserRegistered']);
    receiver.answer('/redirect', { redirectTo: `${receiver.base}/redirect-target` });
    const [registered] = accountEvents();
    await hooks.publish(registered!);

    const entry = await waitFor(async () => {
      const [latest] = await admin.deliveries(id);
      return latest && latest.attempts >= 2 ? latest : undefined;
    });
    expect(entry).toMatchObject({ status: 'pending', lastStatus: 307 });
    expect(receiver.on('/redirect-target')).toEqual([]);
  });

  it('ends a delivery failing past WEBHOOK_RETRY_FOR as dead, and the account goes on with its next event', async () => {
    const { id } = await admin.register(`${receiver.base}/dies`, ['UserRegistered', 'EmailVerified']);
    const [registered, verified] = accountEvents();
    receiver.answer('/dies', (event) => (event.id === registered!.id ? { status: 500 } : { status: 200 }));
    await hooks.publish(registered!);
    await hooks.publish(verified!);

    const log = await waitFor(
      async () => {
        const entries = await admin.deliveries(id);
        return entries.some((entry) => entry.status === 'delivered') ? entries : undefined;
      },
      { timeoutMs: 30_000, what: 'the second event delivered' },
    );
    expect(log.find((entry) => entry.eventId === registered!.id)).toMatchObject({ status: 'dead', lastStatus: 500 });
    expect(log.find((entry) => entry.eventId === verified!.id)).toMatchObject({ status: 'delivered' });
    expect(receiver.on('/dies').filter((r) => r.event.id === verified!.id)).toHaveLength(1);
  });

  it('replays the events of a time window with their own ids', async () => {
    const { id } = await admin.register(`${receiver.base}/replay`, ['UserRegistered', 'EmailVerified']);
    const from = new Date().toISOString();
    const events = accountEvents();
    for (const event of events) await hooks.publish(event);
    const first = await receiptsOn('/replay', 2);
    const to = new Date().toISOString();
    const replay = await admin.call('POST', `/admin/webhooks/${id}/replay`, { from, to });
    const all = await receiptsOn('/replay', 4);

    expect(replay).toEqual({ status: 202, body: { scheduled: 2 } });
    expect(first.map((r) => r.event.id)).toEqual([events[0]?.id, events[1]?.id]);
    expect(all.slice(2).map((r) => r.headers['webhook-id'])).toEqual([events[0]?.id, events[1]?.id]);
  });
});

describe('erasure', () => {
  it("keeps none of a deleted account's stored events but its UserDeleted", async () => {
    // Events are stored only for the endpoints that want them: this one wants all three.
    await admin.register(`${receiver.base}/erasure`, ['UserRegistered', 'EmailVerified', 'UserDeleted']);
    const [registered, verified] = accountEvents();
    const userId = registered!.subject;
    const deleted = createEvent('UserDeleted', {
      source: '/identity',
      subject: userId,
      data: { userId, email: `${userId}@example.test`, deletionRequestId: 'del-1' },
    }) as AnyCloudEvent;
    const stored = () => hooks.db.collection('webhook_events').find({ subject: userId }).toArray();
    await hooks.publish(registered!);
    await hooks.publish(verified!);
    await waitFor(async () => ((await stored()).length === 2 ? true : undefined));
    await hooks.publish(deleted);

    const left = await waitFor(async () => {
      const events = await stored();
      return events.length === 1 ? events : undefined;
    });
    expect(left.map((event) => event._id)).toEqual([deleted.id]);
    expect(JSON.stringify(left)).not.toContain(`${userId}@example.test`);
  });
});

describe('the receiver example of docs/events.md', () => {
  it('verifies what we send, processes each event once, and refuses what we did not sign', async () => {
    const handled: SolarEvent[] = [];
    const { id, secret } = await admin.register('http://127.0.0.1:1/placeholder', ['UserRegistered']);
    const example = createWebhookReceiver(secret, (event) => {
      handled.push(event);
    });
    await new Promise<void>((resolve) => example.listen(0, '127.0.0.1', resolve));
    const exampleUrl = `http://127.0.0.1:${(example.address() as AddressInfo).port}/solar-events`;
    try {
      await admin.call('PATCH', `/admin/webhooks/${id}`, { url: exampleUrl });
      const [registered] = accountEvents();
      await hooks.publish(registered!);
      const first = await waitFor(async () => {
        const [entry] = await admin.deliveries(id, 'delivered');
        return entry?.lastStatus === 204 ? entry : undefined;
      });
      // Sent again: the example sees the same id twice and handles it once.
      await admin.call('POST', `/admin/webhooks/${id}/replay`, { from: registered!.time, to: registered!.time });
      await waitFor(async () => {
        const [entry] = await admin.deliveries(id, 'delivered');
        return entry && entry.lastAttemptAt !== first.lastAttemptAt ? true : undefined;
      });
      const forged = await fetch(exampleUrl, {
        method: 'POST',
        headers: {
          'webhook-id': 'msg_forged',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,Zm9yZ2Vk',
        },
        body: JSON.stringify({ ...registered, subject: 'someone-else' }),
      });

      expect(handled).toEqual([expect.objectContaining({ id: registered!.id, type: registered!.type, subject: registered!.subject })]);
      expect(forged.status).toBe(401);
    } finally {
      example.closeAllConnections();
      await new Promise((resolve) => example.close(resolve));
    }
  });
});
