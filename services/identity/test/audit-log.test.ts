import type { Service } from '@solar/chassis';
import { createIdentityService } from '../src/main';
import { identityTestEnv, specFetch } from './identity-test-env';

const { name, env } = identityTestEnv('identity-audit-log');
let now = new Date('2026-03-01T10:00:00Z');
const identity: Service = createIdentityService(env, { clock: () => now });
const PASSWORD = 'a perfectly good password';
let baseUrl: string;
let api: typeof fetch;

const address = (label: string) => `${label}.${name}@example.test`.toLowerCase();
const tick = () => (now = new Date(now.getTime() + 1000));

async function call(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await api(`${baseUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      'user-agent': 'audit-log-test',
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const login = async (email: string) => {
  const response = await call('/auth/login', { method: 'POST', body: { email, password: PASSWORD } });
  expect(response.status).toBe(200);
  return response.body.access_token as string;
};

interface Entry {
  id: string;
  action: string;
  at: string;
  [field: string]: unknown;
}

async function walk(token: string, limit: number): Promise<{ entries: Entry[]; pages: number }> {
  const entries: Entry[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query: string = `limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const { status, body } = await call(`/users/me/audit-log?${query}`, { token });
    expect(status).toBe(200);
    const items = body.items as Entry[];
    expect(items.length).toBeLessThanOrEqual(limit);
    entries.push(...items);
    cursor = body.nextCursor as string | null;
    pages += 1;
  } while (cursor && pages < 50);
  return { entries, pages };
}

let aliceToken: string;
let bobToken: string;

beforeAll(async () => {
  baseUrl = `http://127.0.0.1:${(await identity.start()).port}`;
  api = specFetch(baseUrl);
  for (const who of ['alice', 'bob']) {
    expect((await call('/auth/register', { method: 'POST', body: { email: address(who), password: PASSWORD } })).status).toBe(201);
  }
  // Alice: her registration, 4 sign-ins a second apart, then 3 in the same instant (ties broken by id), 1 failure.
  for (let i = 0; i < 4; i++) {
    tick();
    aliceToken = await login(address('alice'));
  }
  tick();
  for (let i = 0; i < 3; i++) aliceToken = await login(address('alice'));
  tick();
  expect((await call('/auth/login', { method: 'POST', body: { email: address('alice'), password: 'wrong password' } })).status).toBe(401);
  tick();
  bobToken = await login(address('bob'));
  bobToken = await login(address('bob'));
});

afterAll(async () => {
  await identity.stop();
});

describe('GET /users/me/audit-log', () => {
  it("walks every page of the caller's entries once each, newest first", async () => {
    const all = await walk(aliceToken, 100);
    expect(all.entries).toHaveLength(9);
    expect(all.pages).toBe(1);

    const paged = await walk(aliceToken, 3);
    expect(paged.pages).toBe(3);
    expect(paged.entries.map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
    expect(new Set(paged.entries.map((e) => e.id)).size).toBe(9);
    const times = paged.entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(paged.entries[0]).toMatchObject({ action: 'login', outcome: 'failure' });
  });

  it('pages cleanly through entries recorded in the same instant', async () => {
    const single = await walk(aliceToken, 1);
    expect(single.pages).toBe(9);
    expect(new Set(single.entries.map((e) => e.id)).size).toBe(9);
    const tied = single.entries.filter((e) => e.at === single.entries[1]!.at);
    expect(tied).toHaveLength(3);
  });

  it('shows only the documented fields, never the outbox', async () => {
    const { body } = await call('/users/me/audit-log?limit=1', { token: aliceToken });
    const [entry] = body.items as Entry[];
    expect(Object.keys(entry!).sort()).toEqual(['action', 'at', 'details', 'id', 'ip', 'outcome', 'userAgent']);
    expect(entry).toMatchObject({ userAgent: 'audit-log-test', ip: expect.any(String) });
  });

  it("never shows another user's entries", async () => {
    const alice = new Set((await walk(aliceToken, 100)).entries.map((e) => e.id));
    const bob = (await walk(bobToken, 100)).entries;
    expect(bob).toHaveLength(3);
    expect(bob.filter((e) => alice.has(e.id))).toEqual([]);
  });

  it.each([
    ['a garbage cursor', 'cursor=%%%garbage'],
    ['a cursor that decodes to nonsense', `cursor=${Buffer.from('{"t":"x"}').toString('base64url')}`],
    ['a limit of 0', 'limit=0'],
    ['a limit of 101', 'limit=101'],
    ['a limit given twice', 'limit=1&limit=2'],
  ])('refuses %s with 400 validation_failed', async (_label, query) => {
    const response = await call(`/users/me/audit-log?${query}`, { token: aliceToken });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'validation_failed' });
  });

  it('answers 401 without a valid token', async () => {
    expect((await call('/users/me/audit-log')).status).toBe(401);
    expect((await call('/users/me/audit-log', { token: 'garbage' })).status).toBe(401);
  });
});
