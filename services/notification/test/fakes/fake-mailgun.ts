import { randomBytes } from 'node:crypto';
import { FakeHttpServer, json, type RecordedRequest } from './fake-http-server';

/**
 * Mailgun's HTTP API as documented: `POST /v3/{domain}/messages` with basic auth `api:<key>` and a
 * form body answers `{"id": "<...>", "message": "Queued. Thank you."}`; `GET /v3/domains/{domain}`
 * describes the domain. A wrong key gets 401 ("Forbidden"), an unknown domain 404.
 */
export function fakeMailgun(apiKey: string, domain: string): FakeHttpServer {
  const sendPath = `/v3/${domain}/messages`;
  const isSend = (request: RecordedRequest) => request.method === 'POST' && request.path === sendPath;
  return new FakeHttpServer(isSend, (request) => {
    if (request.headers.authorization !== `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`) {
      return { status: 401, headers: { 'content-type': 'text/plain' }, body: 'Forbidden' };
    }
    if (isSend(request)) {
      return json(200, { id: `<${Date.now()}.${randomBytes(6).toString('hex')}@${domain}>`, message: 'Queued. Thank you.' });
    }
    if (request.method === 'GET' && request.path === `/v3/domains/${domain}`)
      return json(200, { domain: { name: domain, state: 'active' } });
    return undefined;
  });
}

/** The form fields of a send call, whichever form encoding the client chose. */
export function mailgunForm(request: RecordedRequest): Record<string, string> {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(request.body));
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(type);
  if (!boundary) throw new Error(`unexpected content type ${type}`);
  const fields: Record<string, string> = {};
  for (const part of request.body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const name = /name="([^"]+)"/.exec(part)?.[1];
    const start = part.indexOf('\r\n\r\n');
    if (name && start >= 0) fields[name] = part.slice(start + 4).replace(/\r\n$/, '');
  }
  return fields;
}
