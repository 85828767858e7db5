/**
 * Each provider against a server that speaks its documented API: SendGrid, SES v2 and Mailgun through
 * local fakes reached by the SDK's configurable endpoint, SMTP through the real Mailpit. Each test
 * checks what arrived (authentication, from, to, subject, both parts, our Message-ID) and that the
 * provider's message id comes back; then how each provider's failures are classified.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '@solar/chassis';
import { Mailpit, testInfra, testKeyRing, waitFor } from '@solar/chassis/testing';
import { NotificationConfig } from '../src/config';
import type { EmailProvider, OutgoingEmail } from '../src/providers/email-provider';
import { mailgunProvider } from '../src/providers/mailgun-provider';
import { createEmailProvider } from '../src/providers/provider-registry';
import { SendFailure } from '../src/providers/send-failure';
import { sendgridProvider } from '../src/providers/sendgrid-provider';
import { sesProvider } from '../src/providers/ses-provider';
import { smtpProvider } from '../src/providers/smtp-provider';
import { json, type FakeHttpServer, type Reply } from './fakes/fake-http-server';
import { fakeMailgun, mailgunForm } from './fakes/fake-mailgun';
import { fakeSendgrid, sendgridMail } from './fakes/fake-sendgrid';
import { fakeSes, sesBody, signedBy } from './fakes/fake-ses';

const infra = testInfra();
/** Long enough for a first call on a loaded machine (the SES client loads its signer then). */
const TIMEOUT_MS = 10_000;
/** For the providers a test leaves hanging: the time-out is what is under test. */
const HANG_TIMEOUT_MS = 300;
const SENDGRID_KEY = 'SG.test-key.secret';
const SES_KEY_ID = 'AKIDTESTSOLAR0001';
const MAILGUN_KEY = 'key-mailgun-test';
const MAILGUN_DOMAIN = 'mg.solar.test';

const servers: FakeHttpServer[] = [];
const providers: EmailProvider[] = [];

afterAll(async () => {
  for (const provider of providers) provider.close();
  await Promise.all(servers.map((server) => server.stop()));
});

async function started(server: FakeHttpServer): Promise<FakeHttpServer> {
  servers.push(server);
  await server.start();
  return server;
}

function kept<P extends EmailProvider>(provider: P): P {
  providers.push(provider);
  return provider;
}

function email(label: string): OutgoingEmail {
  const id = randomUUID();
  return {
    from: 'Solar Accounts <no-reply@solar.test>',
    to: `${label}.${id.slice(0, 8)}@example.test`,
    subject: `Confirm your address (${label})`,
    html: `<p>Hello <a href="https://app.solar.test/verify?token=${id}">confirm</a></p>`,
    text: `Hello, confirm: https://app.solar.test/verify?token=${id}`,
    messageId: `<${id}@solar-accounts.test>`,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<SendFailure> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SendFailure);
  return error as SendFailure;
}

/** A port nothing listens on: a server started and stopped again. */
async function closedUrl(): Promise<string> {
  const server = fakeSendgrid('unused');
  const url = await server.start();
  await server.stop();
  return url;
}

const replyHeader = (server: FakeHttpServer, index: number, name: string) => {
  const reply: Reply | undefined = server.replies[index];
  return reply && reply !== 'hang' ? reply.headers?.[name] : undefined;
};

describe('SendGrid provider', () => {
  let fake: FakeHttpServer;
  let provider: EmailProvider;

  beforeAll(async () => {
    fake = await started(fakeSendgrid(SENDGRID_KEY));
    provider = kept(sendgridProvider({ apiKey: SENDGRID_KEY, apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
  });
  beforeEach(() => fake.recover());

  it('posts one v3 mail/send with the Bearer key, both parts and our Message-ID, and returns x-message-id', async () => {
    const message = email('sendgrid');
    const before = fake.requests.length;
    const result = await provider.send(message);

    const sends = fake.requests.slice(before);
    expect(sends).toHaveLength(1);
    const [request] = sends;
    expect(request).toMatchObject({ method: 'POST', path: '/v3/mail/send' });
    expect(request!.headers.authorization).toBe(`Bearer ${SENDGRID_KEY}`);
    const mail = sendgridMail(request!);
    expect(mail.from).toEqual({ email: 'no-reply@solar.test', name: 'Solar Accounts' });
    expect(mail.personalizations).toEqual([{ to: [{ email: message.to }] }]);
    expect(mail.subject).toBe(message.subject);
    expect(mail.content).toEqual([
      { type: 'text/plain', value: message.text },
      { type: 'text/html', value: message.html },
    ]);
    expect(mail.headers).toEqual({ 'Message-ID': message.messageId });
    const returned = replyHeader(fake, before, 'x-message-id');
    expect(returned).toMatch(/^sg-/);
    expect(result).toEqual({ provider: 'sendgrid', providerMessageId: returned });
  });

  it('verifies with an authenticated GET /v3/scopes, and fails verification with a wrong key', async () => {
    await provider.verify();
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v3/scopes' });
    const wrong = kept(sendgridProvider({ apiKey: 'SG.wrong', apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(wrong.verify())).toMatchObject({ permanent: true, code: 401 });
  });

  it('classifies 400 as a permanent invalid recipient, 401 as rejected, 429 and 503 as transient', async () => {
    fake.failNext(json(400, { errors: [{ field: 'personalizations.0.to.0.email', message: 'Does not contain a valid address.' }] }));
    expect(await failureOf(provider.send(email('bad')))).toMatchObject({ permanent: true, reason: 'invalid_recipient', code: 400 });
    const wrong = kept(sendgridProvider({ apiKey: 'SG.wrong', apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(wrong.send(email('key')))).toMatchObject({ permanent: true, reason: 'rejected', code: 401 });
    fake.failNext(json(429, { errors: [{ message: 'too many requests' }] }), { status: 503 });
    expect(await failureOf(provider.send(email('busy')))).toMatchObject({ permanent: false, reason: 'provider_unavailable', code: 429 });
    expect(await failureOf(provider.send(email('down')))).toMatchObject({ permanent: false, code: 503 });
  });

  it('gives up on a provider that never answers after PROVIDER_TIMEOUT, as a transient failure', async () => {
    const hasty = kept(sendgridProvider({ apiKey: SENDGRID_KEY, apiUrl: fake.url, timeoutMs: HANG_TIMEOUT_MS }));
    fake.failNext('hang');
    const failure = await failureOf(hasty.send(email('hang')));
    // The SDK's own timeout, set from PROVIDER_TIMEOUT, ended the call: no clock needed to tell.
    expect(failure).toMatchObject({ permanent: false, reason: 'provider_unavailable', code: 'ECONNABORTED' });
    expect(failure.message).toContain(`timeout of ${HANG_TIMEOUT_MS}ms exceeded`);
  });

  it('treats a refused connection as transient', async () => {
    const down = kept(sendgridProvider({ apiKey: SENDGRID_KEY, apiUrl: await closedUrl(), timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(down.send(email('refused')))).toMatchObject({ permanent: false, code: 'ECONNREFUSED' });
    expect(await failureOf(down.verify())).toMatchObject({ permanent: false });
  });
});

describe('SES v2 provider', () => {
  let fake: FakeHttpServer;
  let provider: EmailProvider;
  const settings = () => ({
    region: 'eu-west-1',
    endpoint: fake.url,
    accessKeyId: SES_KEY_ID,
    secretAccessKey: 'ses-test-secret',
    configurationSet: 'solar-transactional',
    timeoutMs: TIMEOUT_MS,
  });

  beforeAll(async () => {
    fake = await started(fakeSes(SES_KEY_ID));
    provider = kept(sesProvider(settings()));
  });
  beforeEach(() => fake.recover());

  it('posts SendEmail to /v2/email/outbound-emails signed with SigV4, Simple content and our Message-ID, and returns MessageId', async () => {
    const message = email('ses');
    const before = fake.requests.length;
    const result = await provider.send(message);

    const sends = fake.requests.slice(before);
    expect(sends).toHaveLength(1);
    const [request] = sends;
    expect(request).toMatchObject({ method: 'POST', path: '/v2/email/outbound-emails' });
    expect(request!.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=${SES_KEY_ID}/\\d{8}/eu-west-1/ses/aws4_request`),
    );
    expect(request!.headers['content-type']).toBe('application/json');
    expect(sesBody(request!)).toEqual({
      FromEmailAddress: message.from,
      Destination: { ToAddresses: [message.to] },
      ConfigurationSetName: 'solar-transactional',
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Html: { Data: message.html, Charset: 'UTF-8' }, Text: { Data: message.text, Charset: 'UTF-8' } },
          Headers: [
            { Name: 'Message-ID', Value: message.messageId },
            { Name: 'X-Solar-Message-ID', Value: message.messageId },
          ],
        },
      },
    });
    const reply = fake.replies[before];
    const messageId = reply && reply !== 'hang' ? (JSON.parse(reply.body!) as { MessageId: string }).MessageId : undefined;
    expect(result).toEqual({ provider: 'ses', providerMessageId: messageId });
  });

  it('verifies with a signed GetAccount, and fails verification with an unknown key', async () => {
    await provider.verify();
    const last = fake.requests.at(-1)!;
    expect(last).toMatchObject({ method: 'GET', path: '/v2/email/account' });
    expect(signedBy(last, SES_KEY_ID)).toBe(true);
    const wrong = kept(sesProvider({ ...settings(), accessKeyId: 'AKIDWRONG' }));
    expect(await failureOf(wrong.verify())).toMatchObject({ permanent: true, code: 403 });
  });

  it('classifies MessageRejected (400) as permanent, throttling (429) and 500 as transient, with no SDK retries', async () => {
    const before = fake.sends().length;
    fake.failNext(json(400, { message: 'Email address is not verified: x@example.test' }, { 'x-amzn-errortype': 'MessageRejected' }));
    const rejected = await failureOf(provider.send(email('rejected')));
    expect(rejected).toMatchObject({ permanent: true, code: 400 });
    expect(rejected.message).toContain('MessageRejected');
    expect(rejected.message).not.toContain('x@example.test');
    fake.failNext(json(429, { message: 'Maximum sending rate exceeded.' }, { 'x-amzn-errortype': 'TooManyRequestsException' }));
    expect(await failureOf(provider.send(email('throttled')))).toMatchObject({ permanent: false, code: 429 });
    fake.failNext(json(500, { message: 'internal' }, { 'x-amzn-errortype': 'InternalFailure' }));
    expect(await failureOf(provider.send(email('broken')))).toMatchObject({ permanent: false, code: 500 });
    // One request per send: delivery owns the retries, the SDK's own are off.
    expect(fake.sends().length - before).toBe(3);
  });

  it('gives up on a provider that never answers after PROVIDER_TIMEOUT, as a transient failure', async () => {
    const hasty = kept(sesProvider({ ...settings(), timeoutMs: HANG_TIMEOUT_MS }));
    fake.failNext('hang');
    expect(await failureOf(hasty.send(email('hang')))).toMatchObject({ permanent: false, reason: 'provider_unavailable' });
  });
});

describe('Mailgun provider', () => {
  let fake: FakeHttpServer;
  let provider: EmailProvider;

  beforeAll(async () => {
    fake = await started(fakeMailgun(MAILGUN_KEY, MAILGUN_DOMAIN));
    provider = kept(mailgunProvider({ apiKey: MAILGUN_KEY, domain: MAILGUN_DOMAIN, apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
  });
  beforeEach(() => fake.recover());

  it('posts a form to /v3/{domain}/messages with basic auth, both parts and h:Message-Id, and returns the id', async () => {
    const message = email('mailgun');
    const before = fake.requests.length;
    const result = await provider.send(message);

    const sends = fake.requests.slice(before);
    expect(sends).toHaveLength(1);
    const [request] = sends;
    expect(request).toMatchObject({ method: 'POST', path: `/v3/${MAILGUN_DOMAIN}/messages` });
    expect(request!.headers.authorization).toBe(`Basic ${Buffer.from(`api:${MAILGUN_KEY}`).toString('base64')}`);
    expect(mailgunForm(request!)).toEqual({
      from: message.from,
      to: message.to,
      subject: message.subject,
      html: message.html,
      text: message.text,
      'h:Message-Id': message.messageId,
    });
    const reply = fake.replies[before];
    const id = reply && reply !== 'hang' ? (JSON.parse(reply.body!) as { id: string }).id : undefined;
    expect(id).toMatch(new RegExp(`@${MAILGUN_DOMAIN}>$`));
    expect(result).toEqual({ provider: 'mailgun', providerMessageId: id });
  });

  it('verifies with GET /v3/domains/{domain}, and fails verification with a wrong key or domain', async () => {
    await provider.verify();
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v3/domains/${MAILGUN_DOMAIN}` });
    const wrongKey = kept(mailgunProvider({ apiKey: 'key-wrong', domain: MAILGUN_DOMAIN, apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(wrongKey.verify())).toMatchObject({ permanent: true, code: 401 });
    const wrongDomain = kept(mailgunProvider({ apiKey: MAILGUN_KEY, domain: 'other.test', apiUrl: fake.url, timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(wrongDomain.verify())).toMatchObject({ permanent: true, code: 404 });
  });

  it('classifies 400 as a permanent invalid recipient, 429 and 502 as transient, a hang and a refused connection too', async () => {
    fake.failNext(json(400, { message: "'to' parameter is not a valid address. please check documentation" }));
    expect(await failureOf(provider.send(email('bad')))).toMatchObject({ permanent: true, reason: 'invalid_recipient', code: 400 });
    fake.failNext(json(429, { message: 'rate limited' }), { status: 502, body: 'Bad Gateway' }, 'hang');
    expect(await failureOf(provider.send(email('busy')))).toMatchObject({ permanent: false, code: 429 });
    expect(await failureOf(provider.send(email('gateway')))).toMatchObject({ permanent: false, code: 502 });
    const hasty = kept(mailgunProvider({ apiKey: MAILGUN_KEY, domain: MAILGUN_DOMAIN, apiUrl: fake.url, timeoutMs: HANG_TIMEOUT_MS }));
    expect(await failureOf(hasty.send(email('hang')))).toMatchObject({ permanent: false, code: 'TimeoutError' });
    const down = kept(mailgunProvider({ apiKey: MAILGUN_KEY, domain: MAILGUN_DOMAIN, apiUrl: await closedUrl(), timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(down.send(email('refused')))).toMatchObject({ permanent: false, code: 'ECONNREFUSED' });
  });
});

describe('SMTP provider (Mailpit)', () => {
  const mailpit = new Mailpit(infra.mailpitUrl);

  it('delivers both parts with our Message-ID, which is also the provider message id', async () => {
    const provider = kept(smtpProvider({ host: infra.smtpHost, port: Number(infra.smtpPort), secure: false, timeoutMs: 5_000 }));
    const message = email('smtp');
    const result = await provider.send(message);
    expect(result).toEqual({ provider: 'smtp', providerMessageId: message.messageId });

    const [summary] = await waitFor(
      async () => {
        const found = await mailpit.search(`to:"${message.to}"`);
        return found.length > 0 ? found : undefined;
      },
      { what: `an email to ${message.to}` },
    );
    const mail = await mailpit.message(summary!.ID);
    expect(mail.Subject).toBe(message.subject);
    expect(mail.Text.trim()).toBe(message.text);
    expect(mail.HTML).toContain(message.html);
    expect(`<${mail.MessageID}>`).toBe(message.messageId);
    await provider.verify();
  });

  it('treats a refused connection as transient', async () => {
    const port = new URL(await closedUrl()).port;
    const provider = kept(smtpProvider({ host: '127.0.0.1', port: Number(port), secure: false, timeoutMs: TIMEOUT_MS }));
    expect(await failureOf(provider.send(email('smtp-down')))).toMatchObject({ permanent: false, reason: 'provider_unavailable' });
  });

  it('gives up on a server that accepts the connection and drops it without a greeting, as transient', async () => {
    const silent = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const provider = kept(smtpProvider({ host: '127.0.0.1', port, secure: false, timeoutMs: TIMEOUT_MS }));
      expect(await failureOf(provider.send(email('smtp-dropped')))).toMatchObject({ permanent: false, reason: 'provider_unavailable' });
    } finally {
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('EMAIL_PROVIDER configuration', () => {
  const base = {
    KAFKA_BROKERS: '127.0.0.1:1',
    MONGO_URL: 'mongodb://127.0.0.1:1/notification',
    DATA_ENCRYPTION_KEYS: testKeyRing(),
    EMAIL_LINK_KEYS: testKeyRing(),
  };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(NotificationConfig, { ...base, ...env });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };

  it.each([
    [{ EMAIL_PROVIDER: 'sendgrid' }, ['SENDGRID_API_KEY: is required when EMAIL_PROVIDER=sendgrid']],
    [{ EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: '' }, ['SENDGRID_API_KEY: is required when EMAIL_PROVIDER=sendgrid']],
    [{ EMAIL_PROVIDER: 'ses' }, ['SES_REGION: is required when EMAIL_PROVIDER=ses']],
    [
      { EMAIL_PROVIDER: 'ses', SES_REGION: 'eu-west-1', SES_ACCESS_KEY_ID: 'AKID' },
      ['SES_SECRET_ACCESS_KEY: set both SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY, or neither'],
    ],
    [
      { EMAIL_PROVIDER: 'mailgun' },
      ['MAILGUN_API_KEY: is required when EMAIL_PROVIDER=mailgun', 'MAILGUN_DOMAIN: is required when EMAIL_PROVIDER=mailgun'],
    ],
    [{ EMAIL_PROVIDER: 'smtp' }, ['SMTP_HOST: is required when EMAIL_PROVIDER=smtp']],
    [{}, ['SMTP_HOST: is required when EMAIL_PROVIDER=smtp']],
  ])('refuses %j naming the missing variables', (env, problems) => {
    expect(problemsOf(env)).toEqual(problems);
  });

  it('refuses an unknown provider and a malformed API URL, naming the variable', () => {
    expect(problemsOf({ EMAIL_PROVIDER: 'postmark' })).toEqual([expect.stringMatching(/^EMAIL_PROVIDER: /)]);
    expect(problemsOf({ EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: 'k', SENDGRID_API_URL: 'not a url' })).toEqual([
      expect.stringMatching(/^SENDGRID_API_URL: /),
    ]);
  });

  it.each([
    ['smtp', { SMTP_HOST: '127.0.0.1' }],
    ['sendgrid', { SENDGRID_API_KEY: 'SG.k' }],
    ['ses', { SES_REGION: 'eu-west-1', SES_ENDPOINT: '' }],
    ['mailgun', { MAILGUN_API_KEY: 'k', MAILGUN_DOMAIN: 'mg.example.test' }],
  ] as const)('builds the %s provider from its own variables, with defaults for the rest', (name, env) => {
    const config = loadConfig(NotificationConfig, { ...base, EMAIL_PROVIDER: name, ...env });
    expect(config.PROVIDER_TIMEOUT).toBe(10_000);
    expect(config.SENDGRID_API_URL).toBe('https://api.sendgrid.com');
    expect(config.DELIVERY_RETRY_ATTEMPTS).toBe(5);
    const provider = kept(createEmailProvider(config));
    expect(provider.name).toBe(name);
  });
});
