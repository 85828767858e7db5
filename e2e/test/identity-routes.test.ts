import { TestStack } from './support/stack';

/**
 * Every public identity path of the design brief answers through the gateway from identity itself:
 * the answers below (401 without a token, 400 for an empty body) come from identity's own checks, and
 * none is the gateway's "no route" 404. The behaviour behind each path is tested in identity's suites.
 */
const stack = new TestStack('identity-routes');
let gatewayUrl: string;

beforeAll(async () => {
  await stack.startIdentity();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

// Every row has four cells: with three, Jest would pass its `done` callback as the fourth argument.
const ROUTES: [method: string, path: string, status: number, code: string | null][] = [
  ['POST', '/v1/auth/register', 400, 'validation_failed'],
  ['POST', '/v1/auth/login', 400, 'validation_failed'],
  ['POST', '/v1/auth/token/refresh', 400, 'validation_failed'],
  ['POST', '/v1/auth/logout', 401, 'unauthorized'],
  ['POST', '/v1/auth/request-password-reset', 400, 'validation_failed'],
  ['POST', '/v1/auth/reset-password', 400, 'validation_failed'],
  ['POST', '/v1/auth/send-verification', 401, 'unauthorized'],
  ['POST', '/v1/auth/verify-email', 400, 'validation_failed'],
  ['POST', '/v1/auth/change-password', 401, 'unauthorized'],
  ['GET', '/v1/users/me', 401, 'unauthorized'],
  ['PATCH', '/v1/users/me', 401, 'unauthorized'],
  ['GET', '/v1/users/me/audit-log', 401, 'unauthorized'],
  ['GET', '/v1/users/me/sessions', 401, 'unauthorized'],
  ['DELETE', '/v1/users/me/sessions/00000000-0000-4000-8000-000000000000', 401, 'unauthorized'],
  ['GET', '/v1/admin/users', 401, 'unauthorized'],
  ['GET', '/v1/admin/audit-log', 401, 'unauthorized'],
  ['POST', '/v1/auth/login/2fa', 400, 'validation_failed'],
  ['POST', '/v1/auth/2fa/enable', 401, 'unauthorized'],
  ['POST', '/v1/auth/2fa/verify', 401, 'unauthorized'],
  ['POST', '/v1/auth/2fa/disable', 401, 'unauthorized'],
  ['POST', '/v1/auth/2fa/recovery-codes', 401, 'unauthorized'],
  ['POST', '/v1/waitlist/join', 400, 'validation_failed'],
  ['GET', '/v1/admin/waitlist', 401, 'unauthorized'],
  ['POST', '/v1/admin/waitlist/some-id/approve', 401, 'unauthorized'],
  ['POST', '/v1/admin/waitlist/some-id/reject', 401, 'unauthorized'],
  ['GET', '/v1/.well-known/jwks.json', 200, null],
];

it.each(ROUTES)('%s %s reaches identity', async (method, path, status, code) => {
  const response = await stack.fetch(`${gatewayUrl}${path}`, {
    method,
    ...(method === 'GET' || method === 'DELETE' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' }),
  });
  expect(response.status).toBe(status);
  const body = (await response.json()) as { code?: string; keys?: unknown[] };
  if (code) expect(body.code).toBe(code);
  else expect(body.keys).toHaveLength(1);
});
