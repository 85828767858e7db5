import { waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';

/**
 * Security review finding 8: notification's and lifecycle's admin routes checked the access token's
 * signature and roles only. An admin who logged out (or whose session was revoked on refresh-token
 * reuse, or who was demoted) kept their access there until the token expired, 15 minutes later.
 * They now ask identity whether the session still stands (cached 5 s per token).
 */
const stack = new TestStack('sec-admin-session');
const admin = `admin.${stack.name}@example.test`.toLowerCase();
const PASSWORD = 'a long and proper password';
const ADMIN_ROUTES = ['/admin/jobs', '/admin/email/metrics'];
let gatewayUrl: string;

async function status(path: string, token: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(`${gatewayUrl}/v1${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  await stack.startIdentity({ ADMIN_EMAILS: admin });
  await stack.startNotification();
  await stack.startLifecycle();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  await stack.stop();
});

it("refuses a logged-out admin's unexpired token on notification's and lifecycle's admin routes", async () => {
  // A listed address is an admin once verified (finding 1).
  const token = await stack.signUpVerified(admin, PASSWORD);
  for (const path of ADMIN_ROUTES) expect(await status(path, token)).toBe(200);

  const loggedOut = await status('/auth/logout', token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(loggedOut).toBe(204);

  for (const path of ADMIN_ROUTES) {
    // A live answer is reused for at most 5 s (require-admin.test.ts pins that window); then the
    // ended session is refused, long before the token's own 15 minutes are up.
    await waitFor(async () => ((await status(path, token)) === 401 ? true : undefined), {
      timeoutMs: 30_000,
      what: `${path} to refuse the logged-out admin's token`,
    });
  }
  // The introspection is for the services, not the internet: the gateway routes nothing to it.
  expect(await status('/internal/session', token)).toBe(404);
  // Identity itself refuses it at once, as before.
  expect(await status('/users/me', token)).toBe(401);
});
