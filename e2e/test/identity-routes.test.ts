import { TestStack } from './support/stack';
import { recordingProxy } from './support/recording-proxy';

/**
 * Every public identity path of the design brief is routed by the gateway to identity. Requests carry
 * a signed-in user's token, so the gateway's own 401 (which comes before routing) never answers them,
 * and a recording pass-through in front of identity proves each one arrived there, at the path
 * identity serves (without /v1). The answers are identity's own checks; the behaviour behind each
 * path is tested in identity's suites.
 */
const stack = new TestStack('identity-routes');
let gatewayUrl: string;
let identity: Awaited<ReturnType<typeof recordingProxy>>;
let userToken: string;
let leavingToken: string;

beforeAll(async () => {
  identity = await recordingProxy((await stack.startIdentity()).url);
  gatewayUrl = (await stack.startGateway({ IDENTITY_URL: identity.url })).url;
  userToken = await stack.signUp('routes@example.com', 'correct horse battery staple');
  // Logging out ends the session: that row has its own, so the others' token stays valid.
  leavingToken = await stack.signUp('routes-logout@example.com', 'correct horse battery staple');
});

afterAll(async () => {
  await stack.stop();
  await identity.close();
});

// Every row has four cells: with three, Jest would pass its `done` callback as the fourth argument.
const ROUTES: [method: string, path: string, status: number, code: string | null][] = [
  ['POST', '/v1/auth/register', 400, 'validation_failed'],
  ['POST', '/v1/auth/login', 400, 'validation_failed'],
  ['POST', '/v1/auth/token/refresh', 400, 'validation_failed'],
  ['POST', '/v1/auth/logout', 204, null],
  ['POST', '/v1/auth/request-password-reset', 400, 'validation_failed'],
  ['POST', '/v1/auth/reset-password', 400, 'validation_failed'],
  ['POST', '/v1/auth/send-verification', 202, null],
  ['POST', '/v1/auth/verify-email', 400, 'validation_failed'],
  ['POST', '/v1/auth/change-password', 400, 'validation_failed'],
  ['GET', '/v1/users/me', 200, null],
  ['PATCH', '/v1/users/me', 400, 'validation_failed'],
  ['GET', '/v1/users/me/audit-log', 200, null],
  ['GET', '/v1/users/me/sessions', 200, null],
  ['DELETE', '/v1/users/me/sessions/00000000-0000-4000-8000-000000000000', 404, 'not_found'],
  // A user's token: identity's own role check answers, which only a request that reached it can meet.
  ['GET', '/v1/admin/users', 403, 'forbidden'],
  ['GET', '/v1/admin/audit-log', 403, 'forbidden'],
  ['POST', '/v1/auth/login/2fa', 400, 'validation_failed'],
  ['POST', '/v1/auth/2fa/enable', 400, 'validation_failed'],
  ['POST', '/v1/auth/2fa/verify', 400, 'validation_failed'],
  ['POST', '/v1/auth/2fa/disable', 400, 'validation_failed'],
  ['POST', '/v1/auth/2fa/recovery-codes', 400, 'validation_failed'],
  ['POST', '/v1/waitlist/join', 400, 'validation_failed'],
  ['GET', '/v1/admin/waitlist', 403, 'forbidden'],
  ['POST', '/v1/admin/waitlist/some-id/approve', 403, 'forbidden'],
  ['POST', '/v1/admin/waitlist/some-id/reject', 403, 'forbidden'],
  ['GET', '/v1/.well-known/jwks.json', 200, null],
];

it.each(ROUTES)('%s %s reaches identity', async (method, path, status, code) => {
  const token = path === '/v1/auth/logout' ? leavingToken : userToken;
  const response = await stack.fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      // Marks the client's request: the gateway's own calls to identity (its key set) carry no such header.
      'x-route-probe': `${method} ${path}`,
      ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
    },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
  });
  const probes = identity.seen.filter((request) => request.headers['x-route-probe'] === `${method} ${path}`);
  expect(probes.map((request) => `${request.method} ${request.url}`)).toEqual([`${method} ${path.slice('/v1'.length)}`]);
  expect(response.status).toBe(status);
  if (code) expect(((await response.json()) as { code?: string }).code).toBe(code);
  else expect(response.headers.get('content-type') ?? '').not.toContain('problem');
});
