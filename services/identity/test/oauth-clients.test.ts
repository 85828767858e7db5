import { AuthHarness } from './auth-harness';

const BOSS = 'boss.identity-oauth-clients@example.test';
const PASSWORD = 'a perfectly good password';
const h = new AuthHarness('identity-oauth-clients', { ADMIN_EMAILS: BOSS });
let adminToken: string;

beforeAll(async () => {
  await h.start();
  expect((await h.register(BOSS, PASSWORD)).status).toBe(201);
  await h.verifyEmail(BOSS);
  adminToken = (await h.signedIn(BOSS, PASSWORD)).access_token;
});
afterAll(() => h.stop());

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
const admin = (path: string, init: { method?: string; body?: unknown } = {}) =>
  h.request(`/admin/oauth/clients${path}`, { token: adminToken, ...init });

function clientCredentials(id: string, secret: string) {
  return fetch(`${h.baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
}

const SERVICE_CLIENT = { client_name: 'Billing worker', grant_types: ['client_credentials'] };

describe('registering clients', () => {
  it('shows the secret once, keeps only its hash, and the client can use it', async () => {
    const created = await admin('', { body: SERVICE_CLIENT });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const client = (await json(created)) as { client_id: string; client_secret: string };
    expect(client).toMatchObject({
      client_name: 'Billing worker',
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      first_party: false,
      client_secret_expires_at: 0,
    });
    const stored = JSON.stringify(await h.db.collection('oauth_clients').findOne({ _id: client.client_id as never }));
    expect(stored).not.toContain(client.client_secret);

    const listed = (await json(await admin(''))) as { items: Record<string, unknown>[] };
    const mine = listed.items.find((item) => item.client_id === client.client_id);
    expect(mine).toBeDefined();
    expect(mine).not.toHaveProperty('client_secret');
    expect((await clientCredentials(client.client_id, client.client_secret)).status).toBe(200);
  });

  it('registers a public client (an SPA or a mobile app) without a secret, and has none to rotate', async () => {
    const created = await admin('', {
      body: {
        client_name: 'Phone app',
        application_type: 'native',
        redirect_uris: ['com.example.app:/callback'],
        token_endpoint_auth_method: 'none',
      },
    });
    expect(created.status).toBe(201);
    const client = await json(created);
    expect(client).not.toHaveProperty('client_secret');
    const rotate = await admin(`/${String(client.client_id)}/secret`, { method: 'POST' });
    expect(rotate.status).toBe(409);
  });

  it('refuses metadata the provider cannot take with invalid_client_metadata, and a bad shape with validation_failed', async () => {
    const fragment = await admin('', { body: { client_name: 'Bad', redirect_uris: ['https://rp.example.com/cb#fragment'] } });
    expect(fragment.status).toBe(400);
    expect(await json(fragment)).toMatchObject({ code: 'invalid_client_metadata' });
    const nameless = await admin('', { body: { redirect_uris: ['https://rp.example.com/cb'] } });
    expect(nameless.status).toBe(400);
    expect(await json(nameless)).toMatchObject({ code: 'validation_failed' });
  });

  it('is for admins only', async () => {
    const user = await h.registered('plain');
    const token = (await h.signedIn(user.email, user.password)).access_token;
    expect((await h.request('/admin/oauth/clients', { token })).status).toBe(403);
    expect((await h.request('/admin/oauth/clients')).status).toBe(401);
  });
});

describe('changing clients', () => {
  it('rotates a secret: the old one stops working at once', async () => {
    const client = (await json(await admin('', { body: SERVICE_CLIENT }))) as { client_id: string; client_secret: string };
    const rotated = await admin(`/${client.client_id}/secret`, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const { client_secret: next } = (await json(rotated)) as { client_secret: string };
    expect(next).not.toBe(client.client_secret);
    expect((await clientCredentials(client.client_id, client.client_secret)).status).toBe(401);
    expect((await clientCredentials(client.client_id, next)).status).toBe(200);
  });

  it('replaces the metadata, keeping the secret', async () => {
    const client = (await json(await admin('', { body: { client_name: 'Web app', redirect_uris: ['https://rp.example.com/cb'] } }))) as {
      client_id: string;
    };
    const updated = await admin(`/${client.client_id}`, {
      method: 'PUT',
      body: { client_name: 'Web app 2', redirect_uris: ['https://rp.example.com/callback'], first_party: true },
    });
    expect(updated.status).toBe(200);
    expect(await json(updated)).toMatchObject({
      client_name: 'Web app 2',
      redirect_uris: ['https://rp.example.com/callback'],
      first_party: true,
    });
    expect(await json(await admin(`/${client.client_id}`))).toMatchObject({ client_name: 'Web app 2' });
  });

  it('deletes a client with the tokens issued to it', async () => {
    const client = (await json(await admin('', { body: SERVICE_CLIENT }))) as { client_id: string; client_secret: string };
    expect((await clientCredentials(client.client_id, client.client_secret)).status).toBe(200);
    expect(await h.db.collection('oidc_models').countDocuments({ 'payload.clientId': client.client_id })).toBe(1);

    expect((await admin(`/${client.client_id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await h.db.collection('oidc_models').countDocuments({ 'payload.clientId': client.client_id })).toBe(0);
    expect((await clientCredentials(client.client_id, client.client_secret)).status).toBe(401);
    expect((await admin(`/${client.client_id}`)).status).toBe(404);
  });
});
