import mongoose, { type Connection } from 'mongoose';
import type { Service } from '@solar/chassis';
import { createIdentityService } from '../src/main';
import { identityTestEnv, specFetch } from './identity-test-env';

const { name, env } = identityTestEnv('identity-profile');
const identity: Service = createIdentityService(env);
const PASSWORD = 'a perfectly good password';
let baseUrl: string;
let api: typeof fetch;
let db: Connection;

const address = (label: string) => `${label}.${name}@example.test`.toLowerCase();

async function call(path: string, init: { method?: string; token?: string; body?: unknown; rawBody?: string } = {}) {
  const response = await api(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body !== undefined || init.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.rawBody !== undefined ? { body: init.rawBody } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  };
}

async function signUp(email: string): Promise<string> {
  expect((await call('/auth/register', { method: 'POST', body: { email, password: PASSWORD } })).status).toBe(201);
  const login = await call('/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  expect(login.status).toBe(200);
  return login.body.access_token as string;
}

const patch = (token: string, body: unknown) => call('/users/me', { method: 'PATCH', token, body });

beforeAll(async () => {
  baseUrl = `http://127.0.0.1:${(await identity.start()).port}`;
  api = specFetch(baseUrl);
  db = await mongoose.createConnection(env.MONGO_URL!).asPromise();
});

afterAll(async () => {
  await identity.stop();
  await db?.close();
});

describe('GET /users/me', () => {
  it("shows the caller's own account with ISO dates", async () => {
    const email = address('me');
    const token = await signUp(email);
    const { status, body } = await call('/users/me', { token });
    expect(status).toBe(200);
    expect(body).toEqual({
      id: expect.any(String),
      email,
      emailVerified: false,
      emailVerifiedAt: null,
      displayName: null,
      locale: 'en',
      roles: ['user'],
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      deletion: null,
      passwordBreached: false,
    });
    expect((await db.collection('users').findOne({ email }))?._id).toBe(body.id);
  });

  it('reads an account stored before locales existed, or with a locale written by hand, as English', async () => {
    const email = address('older');
    const token = await signUp(email);
    await db.collection('users').updateOne({ email }, { $unset: { locale: '' } });
    expect((await call('/users/me', { token })).body.locale).toBe('en');
    await db.collection('users').updateOne({ email }, { $set: { locale: 'xx' } });
    expect((await call('/users/me', { token })).body.locale).toBe('en');
  });

  it.each([
    ['no token', undefined],
    ['a garbage token', 'garbage'],
    ['a token-shaped forgery', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
  ])('answers 401 problem+json to %s', async (_label, token) => {
    const response = await call('/users/me', token === undefined ? {} : { token });
    expect(response.status).toBe(401);
    expect(response.type).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'unauthorized' });
  });
});

describe('PATCH /users/me', () => {
  let email: string;
  let token: string;
  beforeAll(async () => {
    email = address('patch');
    token = await signUp(email);
  });

  it('sets a trimmed display name, returns the profile, and audits the change', async () => {
    const { status, body } = await patch(token, { displayName: '  Ada Lovelace  ' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ email, displayName: 'Ada Lovelace', roles: ['user'] });
    expect((await call('/users/me', { token })).body.displayName).toBe('Ada Lovelace');
    const entry = await db.collection('audit_log').findOne({ userId: body.id, action: 'profile_updated' });
    expect(entry).toMatchObject({ outcome: 'success', details: { field: 'displayName', cleared: false } });
    expect(JSON.stringify(entry)).not.toContain('Ada Lovelace');
  });

  it('sets the locale alone, keeping the name, and audits the change', async () => {
    await patch(token, { displayName: 'Ada' });
    const { status, body } = await patch(token, { locale: 'de' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ displayName: 'Ada', locale: 'de' });
    expect((await db.collection('users').findOne({ email }))?.locale).toBe('de');
    const entry = await db.collection('audit_log').findOne({ userId: body.id, action: 'profile_updated', 'details.field': 'locale' });
    expect(entry).toMatchObject({ outcome: 'success', details: { field: 'locale', locale: 'de' } });
    // Both at once: one entry per field.
    expect((await patch(token, { displayName: 'Ada L.', locale: 'en' })).body).toMatchObject({ displayName: 'Ada L.', locale: 'en' });
  });

  it('clears the name with null', async () => {
    await patch(token, { displayName: 'Someone' });
    const { status, body } = await patch(token, { displayName: null });
    expect(status).toBe(200);
    expect(body.displayName).toBeNull();
    expect((await db.collection('users').findOne({ email }))?.displayName).toBeNull();
  });

  it('accepts 100 characters counted as people see them', async () => {
    const { status, body } = await patch(token, { displayName: '🌞'.repeat(100) });
    expect(status).toBe(200);
    expect(body.displayName).toBe('🌞'.repeat(100));
  });

  it.each([
    ['a name of 101 characters', { displayName: 'x'.repeat(101) }],
    ['an empty name', { displayName: '' }],
    ['a name of spaces only', { displayName: '   ' }],
    ['a NUL character', { displayName: 'Ada\u0000Lovelace' }],
    ['a newline', { displayName: 'Ada\nLovelace' }],
    ['a right-to-left override', { displayName: 'Ada\u202Eecalevol' }],
    ['a number', { displayName: 42 }],
    ['a Mongo operator', { displayName: { $gt: '' } }],
    ['an unknown field', { displayName: 'Ada', roles: ['admin'] }],
    ['an empty body', {}],
    ['an unsupported locale', { locale: 'fr' }],
    ['a locale with a region', { locale: 'de-DE' }],
    ['a null locale', { locale: null }],
    ['a valid locale beside an invalid name', { locale: 'de', displayName: '' }],
  ])('refuses %s with 400 validation_failed and changes nothing', async (_label, body) => {
    await patch(token, { displayName: 'Before' });
    const response = await patch(token, body);
    expect(response.status).toBe(400);
    expect(response.type).toContain('application/problem+json');
    expect(response.body).toMatchObject({ code: 'validation_failed' });
    const stored = await db.collection('users').findOne({ email });
    expect(stored?.displayName).toBe('Before');
    expect(stored?.locale).toBe('en');
    expect(stored?.roles).toEqual(['user']);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await call('/users/me', { method: 'PATCH', token, rawBody: '{"displayName":' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'malformed_json' });
  });

  it('answers 401 without a token and changes nothing', async () => {
    await patch(token, { displayName: 'Kept' });
    const response = await call('/users/me', { method: 'PATCH', body: { displayName: 'Intruder' } });
    expect(response.status).toBe(401);
    expect((await db.collection('users').findOne({ email }))?.displayName).toBe('Kept');
  });
});
