/**
 * Security review finding 13: identity records the client address in its audit log and sessions, and
 * keys its login throttle on it when no account matches. A client that reaches identity directly must
 * not choose that address with a forged X-Forwarded-For; only a hop TRUST_PROXY names (the gateway's)
 * may tell identity where a request came from.
 */
import { AuthHarness } from './auth-harness';

const harness = new AuthHarness('identity-forwarded-for');

beforeAll(() => harness.start());
afterAll(() => harness.stop());

/** The address identity recorded for the newest login of the account. */
async function lastLoginAddress(accessToken: string): Promise<unknown> {
  const response = await harness.request('/users/me/audit-log?limit=1', { token: accessToken });
  expect(response.status).toBe(200);
  const { items } = (await response.json()) as { items: { action: string; ip: unknown }[] };
  expect(items[0]?.action).toBe('login');
  return items[0]?.ip;
}

it('ignores X-Forwarded-For from a direct client while TRUST_PROXY is not set', async () => {
  const { email, password } = await harness.registered('direct');
  harness.advance(1_000); // so the login is the newest audit entry
  const failed = await harness.login(email, 'not the password', { 'x-forwarded-for': '203.0.113.7' });
  expect(failed.status).toBe(401);
  harness.advance(1_000);
  const tokens = await harness.signedIn(email, password, { 'x-forwarded-for': '203.0.113.7' });
  expect(await lastLoginAddress(tokens.access_token)).toBe('127.0.0.1');
  const entries = await harness.db.collection('audit_log').find({ ip: '203.0.113.7' }).toArray();
  expect(entries).toEqual([]);
});

it("keeps the client address the gateway's hop reports when TRUST_PROXY names that hop", async () => {
  await harness.stopService();
  // As under `npm start`, where the gateway reaches identity over loopback.
  await harness.startService({ TRUST_PROXY: 'loopback' });
  const { email, password } = await harness.registered('via-gateway');
  harness.advance(1_000);
  // The gateway appends the address it saw to whatever the client sent: only that last entry is believed.
  const tokens = await harness.signedIn(email, password, { 'x-forwarded-for': '203.0.113.7, 198.51.100.23' });
  expect(await lastLoginAddress(tokens.access_token)).toBe('198.51.100.23');
});
