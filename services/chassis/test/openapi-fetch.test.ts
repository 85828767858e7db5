import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineOperations, openApiDocument } from '@solar/contracts';
import { validatingFetch } from '../src/testing';

/** A server that answers whatever the test tells it to, under /api, so each check sees one kind of departure. */
let server: Server;
let base: string;
let next: { status: number; headers?: Record<string, string>; body?: string } = { status: 200 };

const spec = openApiDocument({
  operations: defineOperations([
    {
      operationId: 'getThing',
      method: 'get',
      path: '/things/{id}',
      service: 'identity',
      summary: 'A thing',
      tags: ['test'],
      security: 'bearer',
      responses: { 200: { description: 'The thing.', body: z.object({ id: z.string(), size: z.number().int() }) } },
      errors: ['not_found'],
    },
    {
      operationId: 'deleteThing',
      method: 'delete',
      path: '/things/{id}',
      service: 'identity',
      summary: 'Remove a thing',
      tags: ['test'],
      security: 'bearer',
      responses: { 204: { description: 'Gone.' } },
    },
  ]),
});

const json = (status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) => {
  next = { status, headers: { 'content-type': type, ...headers }, body: JSON.stringify(body) };
};
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { type: `urn:x:${code}`, title: 't', status, detail: 'd', code }, 'application/problem+json', headers);

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(next.status, next.headers ?? {}).end(next.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const api = () => validatingFetch(spec, `${base}/api`);

describe('validatingFetch', () => {
  it('lets documented answers through, unread for the caller', async () => {
    json(200, { id: 'a', size: 3 });
    const response = await api()(`${base}/api/things/a`);
    expect(await response.json()).toEqual({ id: 'a', size: 3 });
    next = { status: 204 };
    expect((await api()(`${base}/api/things/a`, { method: 'DELETE' })).status).toBe(204);
    problem(404, 'not_found');
    expect((await api()(`${base}/api/things/a`)).status).toBe(404);
    problem(401, 'unauthorized', { 'www-authenticate': 'Bearer' });
    expect((await api()(`${base}/api/things/a`)).status).toBe(401);
  });

  it('refuses a status the operation does not document', async () => {
    problem(409, 'conflict');
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/answered 409, which the spec does not document/);
  });

  it('refuses a body with a member the schema does not list, or of the wrong type', async () => {
    json(200, { id: 'a', size: 3, secret: 'x' });
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/must NOT have additional properties/);
    json(200, { id: 'a', size: '3' });
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/size must be integer/);
  });

  it('refuses a content type other than the documented one', async () => {
    json(200, { id: 'a', size: 3 }, 'text/html');
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/as text\/html, not application\/json/);
    json(404, { code: 'not_found' });
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/not application\/problem\+json/);
  });

  it('refuses a problem code the status does not document for the operation', async () => {
    problem(404, 'forbidden');
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/code must be equal to one of the allowed values/);
  });

  it('refuses an answer without a header the spec requires', async () => {
    problem(429, 'rate_limited', { ratelimit: 'x', 'ratelimit-policy': 'y' });
    await expect(api()(`${base}/api/things/a`)).rejects.toThrow(/without the Retry-After header/);
    problem(429, 'rate_limited', { ratelimit: 'x', 'ratelimit-policy': 'y', 'retry-after': '5' });
    expect((await api()(`${base}/api/things/a`)).status).toBe(429);
  });

  it('refuses a route the spec does not have, unless it is refused as unknown', async () => {
    json(200, { ok: true });
    await expect(api()(`${base}/api/other`)).rejects.toThrow(/GET \/api\/other answered 200, and the spec has no such operation/);
    problem(404, 'not_found');
    expect((await api()(`${base}/api/other`)).status).toBe(404);
  });

  it('leaves calls outside the API and operator paths alone', async () => {
    json(200, { anything: true });
    expect((await api()(`${base}/elsewhere`)).status).toBe(200);
    expect((await api()(`${base}/api/healthz`)).status).toBe(200);
  });
});
