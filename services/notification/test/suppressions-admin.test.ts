/**
 * The suppression list's admin API against the real stack (Kafka, Mongo-wire server, Mailpit): a
 * signed SendGrid bounce suppresses an address, the lists show it, and an admin who signed in
 * recently removes it with a reason, which is recorded and lets mail to it go out again. Non-admins,
 * stale sign-ins, unknown and malformed addresses are refused with problem+json. The removal is
 * announced as EmailSuppressionRemoved (identity records it in the account's audit log).
 */
import { randomUUID } from 'node:crypto';
import { startTokenIssuer } from '@solar/chassis/testing';
import { specFetch } from './notification-test-env';
import { sendgridKeys, sendgridSign } from './webhooks-signers';
import { emailRequested, mailTo, startNotification, testAddress, waitForMail, type RunningNotification } from './webhooks-harness';

const sendgrid = sendgridKeys();
let issuer: Awaited<ReturnType<typeof startTokenIssuer>>;
let notification: RunningNotification;

beforeAll(async () => {
  issuer = await startTokenIssuer();
  notification = await startNotification('suppressions-admin', {
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64,
    IDENTITY_JWKS_URL: issuer.jwksUrl,
  });
});

afterAll(async () => {
  await notification?.stop();
  await issuer?.stop();
});

type Body = Record<string, unknown> & { items: Record<string, unknown>[]; nextCursor: string | null };
type Caller = { roles?: string[]; signedInRecently?: boolean; userId?: string } | null;
const ADMIN: Caller = { roles: ['user', 'admin'], userId: 'admin-1' };

async function call(method: string, path: string, caller: Caller = ADMIN, body?: unknown) {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (caller) headers.authorization = `Bearer ${issuer.token(caller.roles ?? ['user', 'admin'], caller)}`;
  const response = await specFetch(notification.url)(`${notification.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type'), body: (text ? JSON.parse(text) : null) as Body };
}

async function bounce(...addresses: string[]) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = JSON.stringify(
    addresses.map((email) => ({
      email,
      event: 'bounce',
      type: 'bounce',
      timestamp: Number(timestamp),
      sg_event_id: randomUUID(),
      reason: '550 5.1.1',
    })),
  );
  const response = await fetch(`${notification.url}/webhooks/email/sendgrid`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': sendgridSign(sendgrid.privateKey, timestamp, body),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
  });
  expect(response.status).toBe(200);
}

const removePath = (address: string) => `/admin/email/suppressions/${encodeURIComponent(address)}/remove`;

describe('listing', () => {
  it('shows a bounced address with its reason, provider and last report, and finds it by part of the address', async () => {
    const address = testAddress('listed');
    await bounce(address);

    const found = await call('GET', `/admin/email/suppressions?q=${encodeURIComponent(address.slice(0, 12).toUpperCase())}`);
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      {
        address,
        reason: 'hard_bounce',
        source: 'sendgrid',
        since: expect.any(String),
        lastEvent: { kind: 'hard_bounce', provider: 'sendgrid', at: expect.any(String) },
      },
    ]);
    const events = await call('GET', '/admin/email/bounces?limit=100');
    expect(events.body.items).toContainEqual(expect.objectContaining({ address, provider: 'sendgrid', kind: 'hard_bounce' }));
  });

  it('takes the search text literally: a pattern matches nothing and fails nothing', async () => {
    await bounce(testAddress('pattern'));
    for (const q of ['.*', '(', '[a-z', '\\']) {
      expect(await call('GET', `/admin/email/suppressions?q=${encodeURIComponent(q)}`)).toMatchObject({ status: 200, body: { items: [] } });
    }
  });

  it('pages newest first with a cursor, and refuses a cursor it did not issue', async () => {
    const [older, newer] = [testAddress('page-a'), testAddress('page-b')];
    await bounce(older);
    await bounce(newer);
    const q = 'page-';
    const first = await call('GET', `/admin/email/suppressions?limit=1&q=${q}`);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await call('GET', `/admin/email/suppressions?limit=1&q=${q}&cursor=${first.body.nextCursor}`);
    expect(second.status).toBe(200);
    expect(second.body.items[0]?.address).not.toBe(first.body.items[0]?.address);

    const forged = await call('GET', '/admin/email/suppressions?cursor=not-ours');
    expect(forged).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(forged.type).toContain('application/problem+json');
  });

  it('is for admins only', async () => {
    expect(await call('GET', '/admin/email/suppressions', null)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(await call('GET', '/admin/email/bounces', { roles: ['user'] })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });
});

describe('removing', () => {
  it('takes the address off the list, records who, when and why, and lets mail to it go out again', async () => {
    const address = testAddress('removed');
    await bounce(address);
    const refused = emailRequested({ template: 'password-changed', to: address, variables: {}, userId: 'u-removed' });
    await notification.publish(refused);
    expect((await notification.deliveryEvents(refused.id))[0]?.data).toMatchObject({ reason: 'suppressed' });

    const removed = await call('POST', removePath(address.toUpperCase()), ADMIN, { reason: 'Mailbox fixed, ticket 4711' });
    expect(removed.status).toBe(204);

    expect((await call('GET', `/admin/email/suppressions?q=${encodeURIComponent(address)}`)).body.items).toEqual([]);
    const removals = await call('GET', '/admin/email/suppression-removals?limit=100');
    expect(removals.body.items).toContainEqual({
      address,
      reason: 'hard_bounce',
      source: 'sendgrid',
      suppressedAt: expect.any(String),
      removedBy: 'admin-1',
      note: 'Mailbox fixed, ticket 4711',
      removedAt: expect.any(String),
    });
    const [announced] = await notification.deliveries.waitForCount(
      (m) =>
        m.message.headers?.ce_type?.toString() === 'com.solar-intelligence.notification.EmailSuppressionRemoved.v1' &&
        m.message.key?.toString() === address,
      1,
    );
    expect(JSON.parse(announced?.message.value?.toString() ?? '{}')).toEqual({
      email: address,
      removedBy: 'admin-1',
      suppressedFor: 'hard_bounce',
    });
    const sent = emailRequested({ template: 'password-changed', to: address, variables: {}, userId: 'u-removed' });
    await notification.publish(sent);
    expect(await waitForMail(notification.mailpit, address)).toHaveLength(1);
    expect(await call('POST', removePath(address), ADMIN, { reason: 'again' })).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it('refuses a non-admin, and an admin whose sign-in is older than the re-auth window, and keeps the address suppressed', async () => {
    const address = testAddress('kept');
    await bounce(address);
    const body = { reason: 'let me' };

    expect(await call('POST', removePath(address), null, body)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(await call('POST', removePath(address), { roles: ['user'], signedInRecently: true }, body)).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    const stale = await call('POST', removePath(address), { ...ADMIN, signedInRecently: false }, body);
    expect(stale).toMatchObject({ status: 403, body: { code: 'reauthentication_required', maxAgeSeconds: 300 } });
    expect(stale.type).toContain('application/problem+json');

    expect((await call('GET', `/admin/email/suppressions?q=${encodeURIComponent(address)}`)).body.items).toHaveLength(1);
    const request = emailRequested({ template: 'password-changed', to: address, variables: {}, userId: 'u-kept' });
    const landed = await notification.publish(request);
    expect((await notification.deliveryEvents(request.id))[0]?.data).toMatchObject({ reason: 'suppressed' });
    await notification.consumed(landed);
    expect(await mailTo(notification.mailpit, address)).toEqual([]);
  });

  it('answers 404 for an address not on the list and 400 for one that is no address or a missing reason', async () => {
    expect(await call('POST', removePath(testAddress('never')), ADMIN, { reason: 'x' })).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    const malformed = await call('POST', removePath('not-an-address'), ADMIN, { reason: 'x' });
    expect(malformed).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(malformed.type).toContain('application/problem+json');
    const address = testAddress('no-reason');
    await bounce(address);
    expect(await call('POST', removePath(address), ADMIN, { reason: '  ' })).toMatchObject({
      status: 400,
      body: { code: 'validation_failed' },
    });
    expect(await call('POST', removePath(address), ADMIN, {})).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
  });
});
