/**
 * The bounce and complaint webhooks through HTTP against the real stack: payloads signed here with
 * the test's own keys suppress an address, and a later request to it is recorded as suppressed and
 * never reaches Mailpit; forged, stale and replayed calls get 401 and change nothing.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  mailgunSignature,
  sendgridKeys,
  sendgridSign,
  sesBounceNotification,
  snsSign,
  snsSigner,
  type SnsSigner,
} from './webhooks-signers';
import { emailRequested, mailTo, startNotification, testAddress, type RunningNotification } from './webhooks-harness';
import { specFetch } from './notification-test-env';

const sendgrid = sendgridKeys();
const MAILGUN_KEY = 'mailgun-webhook-signing-key-test';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:solar-ses-feedback';

/** Stands in for sns.<region>.amazonaws.com: serves the signing certificate and takes subscription confirmations. */
let certHost: Server;
let certBase: string;
const certHits: string[] = [];
let signer: SnsSigner;
/** Valid, served from the allowed host, but not issued to SNS. */
let stranger: SnsSigner;
let notification: RunningNotification;

beforeAll(async () => {
  signer = snsSigner();
  stranger = snsSigner(2, '/CN=evil.example');
  certHost = createServer((req, res) => {
    certHits.push(req.url ?? '');
    if (req.url === '/cert.pem') res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(signer.certificatePem);
    else if (req.url === '/stranger.pem') res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(stranger.certificatePem);
    else if (req.url === '/failing.pem') res.writeHead(500).end();
    else if (req.url?.startsWith('/confirm')) res.writeHead(200).end('<ConfirmSubscriptionResponse/>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => certHost.listen(0, '127.0.0.1', resolve));
  certBase = `http://127.0.0.1:${(certHost.address() as AddressInfo).port}`;
  notification = await startNotification('webhooks', {
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgrid.publicKeyBase64,
    MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY,
    SES_SNS_TOPIC_ARN: TOPIC_ARN,
    SNS_CERT_URL_PATTERN: `^${certBase.replace(/\./g, '\\.')}/`,
  });
});

afterAll(async () => {
  await notification?.stop();
  await new Promise<void>((resolve) => certHost.close(() => resolve()));
});

const now = () => String(Math.floor(Date.now() / 1000));

function postSendgrid(body: string, headers: Record<string, string>) {
  return specFetch(notification.url)(`${notification.url}/webhooks/email/sendgrid`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

function signedSendgrid(events: object[], timestamp = now()) {
  const body = JSON.stringify(events);
  return postSendgrid(body, {
    'X-Twilio-Email-Event-Webhook-Signature': sendgridSign(sendgrid.privateKey, timestamp, body),
    'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
  });
}

function postMailgun(body: object) {
  return specFetch(notification.url)(`${notification.url}/webhooks/email/mailgun`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function postSns(message: object, to: RunningNotification = notification) {
  // SNS posts JSON as text/plain.
  return specFetch(to.url)(`${to.url}/webhooks/email/ses`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
    body: JSON.stringify(message),
  });
}

const bounce = (email: string) => ({
  email,
  event: 'bounce',
  type: 'bounce',
  timestamp: Number(now()),
  sg_event_id: randomUUID(),
  reason: '550 5.1.1 no such user',
});

async function suppression(address: string) {
  return notification.db.collection('suppressions').findOne({ _id: address as never });
}

async function bounceEvents(address: string) {
  return notification.db.collection('bounce_events').countDocuments({ address });
}

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  expect(await response.json()).toMatchObject({ code: 'unauthorized', status: 401 });
}

describe('SendGrid event webhook', () => {
  it('suppresses a hard-bounced address: a later request to it fails as suppressed and is not sent', async () => {
    const address = testAddress('sg-bounce');
    const response = await signedSendgrid([bounce(address)]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ recorded: 1, suppressed: 1 });
    expect(await suppression(address)).toMatchObject({ reason: 'hard_bounce', source: 'sendgrid' });

    const request = emailRequested({ template: 'password-changed', to: address.toUpperCase(), variables: {}, userId: 'u-sg-1' });
    const landed = await notification.publish(request);
    const [failed] = await notification.deliveryEvents(request.id);
    expect(failed?.type).toBe('com.solar-intelligence.notification.EmailFailed.v1');
    expect(failed?.data).toMatchObject({ emailRequestId: request.id, reason: 'suppressed', permanent: true, attempts: 0 });
    expect(failed?.data.provider).toBeUndefined();
    await notification.consumed(landed);
    expect(await mailTo(notification.mailpit, address)).toEqual([]);
  });

  it('records a complaint as suppression and soft events without suppressing', async () => {
    const complainer = testAddress('sg-complaint');
    const deferred = testAddress('sg-deferred');
    const blocked = testAddress('sg-blocked');
    const response = await signedSendgrid([
      { email: complainer, event: 'spamreport', timestamp: Number(now()), sg_event_id: randomUUID() },
      { email: deferred, event: 'deferred', timestamp: Number(now()), sg_event_id: randomUUID() },
      { ...bounce(blocked), type: 'blocked' },
      { email: deferred, event: 'delivered', timestamp: Number(now()), sg_event_id: randomUUID() },
    ]);
    expect(await response.json()).toEqual({ recorded: 3, suppressed: 1 });
    expect(await suppression(complainer)).toMatchObject({ reason: 'complaint' });
    expect(await suppression(deferred)).toBeNull();
    expect(await suppression(blocked)).toBeNull();
    expect(await bounceEvents(deferred)).toBe(1);
  });

  it('counts a redelivered event once', async () => {
    const event = bounce(testAddress('sg-redelivered'));
    await signedSendgrid([event]);
    expect(await (await signedSendgrid([event])).json()).toEqual({ recorded: 0, suppressed: 1 });
    expect(await bounceEvents(event.email)).toBe(1);
  });

  it('refuses forged, tampered, stale and unsigned calls and changes nothing', async () => {
    const address = testAddress('sg-forged');
    const body = JSON.stringify([bounce(address)]);
    const timestamp = now();
    const attacker = sendgridKeys();
    await expectRefused(
      await postSendgrid(body, {
        'X-Twilio-Email-Event-Webhook-Signature': sendgridSign(attacker.privateKey, timestamp, body),
        'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
      }),
    );
    const innocent = JSON.stringify([bounce(testAddress('sg-innocent'))]);
    await expectRefused(
      await postSendgrid(body, {
        'X-Twilio-Email-Event-Webhook-Signature': sendgridSign(sendgrid.privateKey, timestamp, innocent),
        'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
      }),
    );
    const stale = String(Number(timestamp) - 600);
    await expectRefused(
      await postSendgrid(body, {
        'X-Twilio-Email-Event-Webhook-Signature': sendgridSign(sendgrid.privateKey, stale, body),
        'X-Twilio-Email-Event-Webhook-Timestamp': stale,
      }),
    );
    await expectRefused(await postSendgrid(body, {}));
    expect(await suppression(address)).toBeNull();
    expect(await bounceEvents(address)).toBe(0);
  });
});

describe('Mailgun webhook', () => {
  const failed = (recipient: string, severity: 'permanent' | 'temporary') => ({
    event: 'failed',
    severity,
    recipient,
    timestamp: Number(now()),
    id: randomUUID(),
  });

  it('suppresses a permanent failure, not a temporary one, and refuses a replayed token', async () => {
    const gone = testAddress('mg-permanent');
    const later = testAddress('mg-temporary');
    const signature = mailgunSignature(MAILGUN_KEY, now());
    const response = await postMailgun({ signature, 'event-data': failed(gone, 'permanent') });
    expect(response.status).toBe(200);
    expect(await suppression(gone)).toMatchObject({ reason: 'hard_bounce', source: 'mailgun' });

    // Taken and recorded, not refused: a refusal would leave the address unsuppressed just the same.
    const temporary = await postMailgun({ signature: mailgunSignature(MAILGUN_KEY, now()), 'event-data': failed(later, 'temporary') });
    expect(temporary.status).toBe(200);
    expect(await temporary.json()).toEqual({ recorded: 1, suppressed: 0 });
    expect(await bounceEvents(later)).toBe(1);
    expect(await suppression(later)).toBeNull();

    // The same signed block again (captured on the wire), now claiming another address.
    const victim = testAddress('mg-replay');
    await expectRefused(await postMailgun({ signature, 'event-data': failed(victim, 'permanent') }));
    expect(await suppression(victim)).toBeNull();
  });

  it('suppresses a complaint', async () => {
    const address = testAddress('mg-complaint');
    await postMailgun({
      signature: mailgunSignature(MAILGUN_KEY, now()),
      'event-data': { event: 'complained', recipient: address, timestamp: Number(now()) },
    });
    expect(await suppression(address)).toMatchObject({ reason: 'complaint' });
  });

  it('refuses a wrong key, a stale timestamp and a missing signature', async () => {
    const address = testAddress('mg-forged');
    const data = failed(address, 'permanent');
    await expectRefused(await postMailgun({ signature: mailgunSignature('guessed-key', now()), 'event-data': data }));
    await expectRefused(await postMailgun({ signature: mailgunSignature(MAILGUN_KEY, String(Number(now()) - 600)), 'event-data': data }));
    await expectRefused(await postMailgun({ 'event-data': data }));
    expect(await suppression(address)).toBeNull();
    expect(await bounceEvents(address)).toBe(0);
  });
});

describe('SES notifications through SNS', () => {
  const certUrl = () => `${certBase}/cert.pem`;

  it('confirms a signed subscription by visiting its SubscribeURL', async () => {
    const token = randomUUID();
    const message = snsSign(signer, {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      TopicArn: TOPIC_ARN,
      Message: 'You have chosen to subscribe to the topic.',
      Timestamp: new Date().toISOString(),
      SigningCertURL: certUrl(),
      SubscribeURL: `${certBase}/confirm?Token=${token}`,
      Token: token,
    });
    const response = await postSns(message);
    expect(response.status).toBe(200);
    expect(certHits).toContain(`/confirm?Token=${token}`);
  });

  it('suppresses a permanent bounce signed with SignatureVersion 2', async () => {
    const address = testAddress('ses-v2');
    const response = await postSns(
      snsSign(signer, sesBounceNotification({ topicArn: TOPIC_ARN, certUrl: certUrl(), recipients: [address] })),
    );
    expect(response.status).toBe(200);
    expect(await suppression(address)).toMatchObject({ reason: 'hard_bounce', source: 'ses' });
  });

  it('records a transient bounce without suppressing', async () => {
    const address = testAddress('ses-transient');
    const message = sesBounceNotification({ topicArn: TOPIC_ARN, certUrl: certUrl(), recipients: [address], bounceType: 'Transient' });
    expect((await postSns(snsSign(signer, message))).status).toBe(200);
    expect(await suppression(address)).toBeNull();
    expect(await bounceEvents(address)).toBe(1);
  });

  it('refuses another signer, a tampered message, a foreign topic and a certificate URL outside the allow-list', async () => {
    const address = testAddress('ses-forged');
    const notificationFor = (overrides: { topicArn?: string; certUrl?: string } = {}) =>
      sesBounceNotification({ topicArn: overrides.topicArn ?? TOPIC_ARN, certUrl: overrides.certUrl ?? certUrl(), recipients: [address] });

    await expectRefused(await postSns(snsSign(snsSigner(), notificationFor())));
    const signed = snsSign(
      signer,
      sesBounceNotification({ topicArn: TOPIC_ARN, certUrl: certUrl(), recipients: ['someone@example.test'] }),
    );
    await expectRefused(await postSns({ ...signed, Message: signed.Message.replace('someone@example.test', address) }));
    // Validly signed by SNS, but from a topic that is not ours: anyone can own a topic.
    await expectRefused(await postSns(snsSign(signer, notificationFor({ topicArn: 'arn:aws:sns:eu-west-1:999999999999:attacker' }))));

    const hitsBefore = certHits.length;
    await expectRefused(await postSns(snsSign(signer, notificationFor({ certUrl: 'http://localhost.evil.example/cert.pem' }))));
    await expectRefused(await postSns(snsSign(signer, notificationFor({ certUrl: `${certBase}.evil.example/cert.pem` }))));
    expect(certHits.length).toBe(hitsBefore);

    await expectRefused(await postSns({ Type: 'Notification', Message: '{}' }));
    expect(await suppression(address)).toBeNull();
    expect(await bounceEvents(address)).toBe(0);
  });

  it('does not visit a SubscribeURL outside the allow-list', async () => {
    const message = snsSign(signer, {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      TopicArn: TOPIC_ARN,
      Message: 'subscribe',
      Timestamp: new Date().toISOString(),
      SigningCertURL: certUrl(),
      SubscribeURL: 'http://169.254.169.254/latest/meta-data/',
      Token: 't',
    });
    await expectRefused(await postSns(message));
  });
});

/** Security review finding 6: each attack on the SNS endpoint, through the real route. */
describe('SES notifications through SNS: replays, weak signatures and foreign certificates', () => {
  const certUrl = () => `${certBase}/cert.pem`;
  const bounceTo = (address: string, overrides: { certUrl?: string; timestamp?: Date; messageId?: string } = {}) =>
    sesBounceNotification({ topicArn: TOPIC_ARN, recipients: [address], certUrl: certUrl(), ...overrides });

  async function expectUntouched(address: string) {
    expect(await suppression(address)).toBeNull();
    expect(await bounceEvents(address)).toBe(0);
  }

  it('refuses a validly signed message published longer ago than SES_WEBHOOK_MAX_AGE', async () => {
    const address = testAddress('ses-old');
    await expectRefused(await postSns(snsSign(signer, bounceTo(address, { timestamp: new Date(Date.now() - 61 * 60_000) }))));
    await expectRefused(await postSns(snsSign(signer, bounceTo(address, { timestamp: new Date(Date.now() + 60 * 60_000) }))));
    await expectUntouched(address);
    expect((await postSns(snsSign(signer, bounceTo(address, { timestamp: new Date(Date.now() - 50 * 60_000) })))).status).toBe(200);
  });

  it('refuses a MessageId it has accepted before', async () => {
    const first = testAddress('ses-replay-first');
    const signed = snsSign(signer, bounceTo(first));
    expect((await postSns(signed)).status).toBe(200);
    // Captured on the wire and posted again: the same bytes, then another signed message with that id.
    await expectRefused(await postSns(signed));
    const victim = testAddress('ses-replay-victim');
    await expectRefused(await postSns(snsSign(signer, bounceTo(victim, { messageId: signed.MessageId }))));
    await expectUntouched(victim);
    expect(await bounceEvents(first)).toBe(1);
  });

  it('refuses SignatureVersion 1 (SHA1withRSA)', async () => {
    const address = testAddress('ses-v1');
    await expectRefused(await postSns(snsSign(signer, bounceTo(address), '1')));
    await expectUntouched(address);
  });

  it('refuses a message signed with a certificate not issued to SNS, even from an allowed URL', async () => {
    const address = testAddress('ses-stranger');
    await expectRefused(await postSns(snsSign(stranger, bounceTo(address, { certUrl: `${certBase}/stranger.pem` }))));
    await expectUntouched(address);
  });

  it('asks a failing certificate URL once, not once per message, within the negative-cache window', async () => {
    const failing = `${certBase}/failing.pem`;
    const hitsBefore = certHits.filter((hit) => hit === '/failing.pem').length;
    for (const label of ['ses-failing-1', 'ses-failing-2', 'ses-failing-3']) {
      const response = await postSns(snsSign(signer, bounceTo(testAddress(label), { certUrl: failing })));
      expect(response.status).toBe(503);
    }
    expect(certHits.filter((hit) => hit === '/failing.pem').length - hitsBefore).toBe(1);
  });

  it('with the built-in rule, fetches nothing from an S3 host that looks like SNS', async () => {
    // No SNS_CERT_URL_PATTERN: the production rule. S3 serves any bucket named "sns" on these hosts.
    const production = await startNotification('webhooks-sns-rule', { SES_SNS_TOPIC_ARN: TOPIC_ARN });
    try {
      const address = testAddress('ses-s3');
      for (const host of ['sns.s3.amazonaws.com', 'sns.s3-us-west-2.amazonaws.com', 'sns.us-east-1.s3.amazonaws.com']) {
        const message = snsSign(signer, bounceTo(address, { certUrl: `https://${host}/SimpleNotificationService-x.pem` }));
        const response = await postSns(message, production);
        expect({ host, status: response.status }).toEqual({ host, status: 401 });
      }
      expect(await production.db.collection('suppressions').findOne({ _id: address as never })).toBeNull();
    } finally {
      await production.stop();
    }
  });
});
