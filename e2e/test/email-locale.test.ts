import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor, type MailpitMessage } from '@solar/chassis/testing';
import { TestStack } from './support/stack';
import { apiClient, expectJson, expectProblem } from './support/api-client';

/*
 * Emails follow the account's locale, whoever triggers them: chosen in the body, negotiated from the
 * browser's Accept-Language (which the gateway must pass on to identity), or changed later on the
 * account. Every request goes through the gateway, every email is read back from Mailpit.
 */
const stack = new TestStack('email-locale-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'email-locale-e2e-test', logLevel: logLevel.NOTHING });
const topics = [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((t) => stack.topic(t));
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);

const PASSWORD = 'a long and proper password';
const GERMAN_BROWSER = { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' };
const ENGLISH_BROWSER = { 'accept-language': 'en-US,en;q=0.9' };
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

/** The one email to the address whose subject has these words (Mailpit matches them case-insensitively). */
async function emailTo(email: string, subject: string): Promise<MailpitMessage> {
  const summary = await waitFor(async () => (await mailpit.search(`to:"${email}" subject:"${subject}"`))[0], {
    what: `an email to ${email} about "${subject}"`,
  });
  return mailpit.message(summary.ID);
}

function register(email: string, options: { body?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
  return call('/auth/register', { body: { email, password: PASSWORD, ...options.body }, headers: options.headers ?? {} });
}

/** Verifies the address with the link of its verification email (in either language) and signs in. */
async function verifyAndSignIn(email: string, verificationSubject: string): Promise<string> {
  const mail = await emailTo(email, verificationSubject);
  const token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text)![1];
  await expectJson(await call('/auth/verify-email', { body: { token } }), 200);
  const { access_token } = await expectJson<{ access_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  return access_token;
}

beforeAll(async () => {
  await ensureTopics(kafka, topics);
  await stack.startIdentity();
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  await stack.stop();
});

describe('the language of the emails', () => {
  it("follows the browser's Accept-Language, which the gateway passes on, and is the account's from then on", async () => {
    const email = address('heidi');
    await expectJson(await register(email, { headers: GERMAN_BROWSER }), 201);

    const mail = await emailTo(email, 'Bestätigen Sie Ihre E-Mail-Adresse');
    expect(mail.Subject).toBe('Bestätigen Sie Ihre E-Mail-Adresse für Solar Accounts');
    expect(mail.Text).toContain('Willkommen bei Solar Accounts.');
    expect(mail.Text).toMatch(/Der Link kann einmal verwendet werden und läuft in \d+ (Minuten|Stunden?|Tagen?) ab/);
    expect(mail.HTML).toContain('lang="de"');

    const token = await verifyAndSignIn(email, 'Bestätigen Sie');
    expect(await expectJson(await call('/users/me', { token }), 200)).toMatchObject({ email, locale: 'de' });
  });

  it('follows the locale in the body, without an Accept-Language header', async () => {
    const email = address('jonas');
    await expectJson(await register(email, { body: { locale: 'de' } }), 201);
    expect((await emailTo(email, 'Bestätigen Sie')).Text).toContain('Bestätigen Sie, dass diese Adresse Ihnen gehört');
  });

  it('prefers the locale in the body over the browser', async () => {
    const email = address('lena');
    await expectJson(await register(email, { body: { locale: 'en' }, headers: GERMAN_BROWSER }), 201);
    expect((await emailTo(email, 'Confirm your email')).Subject).toBe('Confirm your email address for Solar Accounts');
  });

  it('stays English for an English browser, and for a language we have no emails in', async () => {
    const english = address('ada');
    await expectJson(await register(english, { headers: ENGLISH_BROWSER }), 201);
    const mail = await emailTo(english, 'Confirm your email');
    expect(mail.Text).toContain('Confirm that this address is yours');
    expect(mail.HTML).toContain('lang="en"');

    const french = address('amelie');
    await expectJson(await register(french, { headers: { 'accept-language': 'fr-FR,fr;q=0.9' } }), 201);
    expect((await emailTo(french, 'Confirm your email')).Subject).toBe('Confirm your email address for Solar Accounts');
  });

  it('changes with PATCH /users/me: the next email is German', async () => {
    const email = address('grace');
    await expectJson(await register(email, { headers: ENGLISH_BROWSER }), 201);
    const token = await verifyAndSignIn(email, 'Confirm your email');
    expect(await expectJson(await call('/users/me', { token }), 200)).toMatchObject({ locale: 'en' });

    const changed = await expectJson(await call('/users/me', { method: 'PATCH', token, body: { locale: 'de' } }), 200);
    expect(changed).toMatchObject({ locale: 'de', displayName: null });
    // The display name and the locale change independently.
    expect(await expectJson(await call('/users/me', { method: 'PATCH', token, body: { displayName: 'Grace' } }), 200)).toMatchObject({
      locale: 'de',
      displayName: 'Grace',
    });

    // An English browser asking does not matter: the email is the account's.
    await expectJson(await call('/auth/request-password-reset', { body: { email }, headers: ENGLISH_BROWSER }), 202);
    const mail = await emailTo(email, 'Setzen Sie Ihr Passwort');
    expect(mail.Subject).toBe('Setzen Sie Ihr Passwort bei Solar Accounts zurück');
    expect(mail.Text).toContain('Neues Passwort wählen: https://app.solar.test/reset-password?token=');
  });

  it('tells the owner of a taken address in the owner’s language, not the one of whoever tried', async () => {
    const email = address('klaus');
    await expectJson(await register(email, { body: { locale: 'de' } }), 201);
    await emailTo(email, 'Bestätigen Sie');

    await expectJson(await register(email, { headers: ENGLISH_BROWSER }), 201);
    const mail = await emailTo(email, 'Jemand wollte sich');
    expect(mail.Subject).toBe('Jemand wollte sich mit Ihrer Adresse bei Solar Accounts registrieren');
    expect(await mailpit.search(`to:"${email}" subject:"tried to sign up"`)).toEqual([]);
  });

  it('follows Accept-Language for a waitlist entry too', async () => {
    const email = address('waltraud');
    await expectJson(await call('/waitlist/join', { body: { email }, headers: GERMAN_BROWSER }), 202);
    expect((await emailTo(email, 'Warteliste')).Subject).toBe('Sie stehen auf der Warteliste von Solar Accounts');
  });

  it('refuses a locale we have no emails in, rather than guess, as problem+json naming the choices', async () => {
    const email = address('pierre');
    for (const locale of ['fr', 'de-DE', '']) {
      const response = await register(email, { body: { locale }, headers: GERMAN_BROWSER });
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = await expectJson<{ code: string; detail: string }>(response, 400);
      expect(problem).toMatchObject({ code: 'validation_failed', detail: 'locale: must be one of: en, de' });
    }
    await expectProblem(await call('/waitlist/join', { body: { email, locale: 'fr' } }), 400, 'validation_failed');
    expect(await mailpit.search(`to:"${email}"`)).toEqual([]);

    const token = await verifyAndSignIn(await registered('pia'), 'Confirm your email');
    await expectProblem(await call('/users/me', { method: 'PATCH', token, body: { locale: 'fr' } }), 400, 'validation_failed');
    await expectProblem(await call('/users/me', { method: 'PATCH', token, body: {} }), 400, 'validation_failed');
    expect(await expectJson(await call('/users/me', { token }), 200)).toMatchObject({ locale: 'en' });
  });
});

async function registered(label: string): Promise<string> {
  const email = address(label);
  await expectJson(await register(email), 201);
  return email;
}
