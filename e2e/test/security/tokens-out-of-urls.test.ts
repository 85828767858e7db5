import { randomBytes } from 'node:crypto';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';

/**
 * Security review finding 12: emailed links carry single-use tokens in their query string
 * (`APP_URL/verify-email?token=…`). Whatever the page at that URL loads or links to learns the URL,
 * token included, from the Referer header unless the answers forbid it; and an API that read the
 * token from the query would put it in every proxy's access log. The routes those pages call take
 * the token in the POST body and answer with `Referrer-Policy: no-referrer`, through the gateway
 * and from identity itself.
 */
const stack = new TestStack('sec-tokens');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const email = `ada.${stack.name}@example.test`.toLowerCase();
const password = 'correct horse battery';
/** Well formed (32 random bytes, base64url), matching no token identity issued. */
const unknownToken = randomBytes(32).toString('base64url');
let gatewayUrl: string;
let identityUrl: string;

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return stack.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  identityUrl = (await stack.startIdentity()).url;
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  await stack.stop();
});

it('verifies an email with the token from the link moved into the POST body, answering no-referrer', async () => {
  const registered = await post(`${gatewayUrl}/v1/auth/register`, { email, password });
  expect(registered.status).toBe(201);
  expect(registered.headers.get('referrer-policy')).toBe('no-referrer');
  const [summary] = await waitFor(
    async () => {
      const found = await mailpit.search(`to:"${email}"`);
      return found.length > 0 ? found : undefined;
    },
    { what: `the verification email to ${email}` },
  );
  const mail = await mailpit.message(summary!.ID);
  // The link keeps its shape for the page that hosts it; the page posts the token.
  const token = /\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text)?.[1];
  expect(token).toBeDefined();
  const verified = await post(`${gatewayUrl}/v1/auth/verify-email`, { token });
  expect(verified.status).toBe(200);
  expect(verified.headers.get('referrer-policy')).toBe('no-referrer');
});

it.each([
  ['/auth/verify-email', { token: unknownToken }],
  ['/auth/reset-password', { token: unknownToken, newPassword: 'another long password' }],
  ['/auth/confirm-email-change', { token: unknownToken }],
  ['/auth/undo-email-change', { token: unknownToken }],
])('%s reads the token from the body, and answers no-referrer through the gateway and from identity', async (path, body) => {
  for (const url of [`${gatewayUrl}/v1${path}`, `${identityUrl}${path}`]) {
    const response = await post(url, body);
    // token_invalid, not validation_failed: the body's token was read and looked up.
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'token_invalid' });
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  }
});

it('register with an invite token in the body answers no-referrer from identity too', async () => {
  const response = await post(`${identityUrl}/auth/register`, {
    email: `bo.${stack.name}@example.test`,
    password,
    inviteToken: unknownToken,
  });
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
});

it('cancel-deletion (the deletion email links to its page) answers no-referrer, through the gateway and from identity', async () => {
  for (const url of [`${gatewayUrl}/v1/auth/cancel-deletion`, `${identityUrl}/auth/cancel-deletion`]) {
    const response = await post(url, {});
    expect(response.status).toBe(401);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  }
});
