import { randomBytes } from 'node:crypto';
import { FakeHttpServer, json, type RecordedRequest } from './fake-http-server';

export interface SendgridMail {
  personalizations: { to: { email: string; name?: string }[] }[];
  from: { email: string; name?: string };
  subject: string;
  content: { type: string; value: string }[];
  headers?: Record<string, string>;
}

/**
 * SendGrid's v3 API as documented: `POST /v3/mail/send` with a Bearer key answers 202 with an empty
 * body and the message id in `x-message-id`; `GET /v3/scopes` lists the key's scopes. A wrong key gets 401.
 */
export function fakeSendgrid(apiKey: string): FakeHttpServer {
  const isSend = (request: RecordedRequest) => request.method === 'POST' && request.path === '/v3/mail/send';
  return new FakeHttpServer(isSend, (request) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return json(401, { errors: [{ field: null, message: 'The provided authorization grant is invalid, expired, or revoked' }] });
    }
    if (isSend(request)) return { status: 202, headers: { 'x-message-id': `sg-${randomBytes(8).toString('hex')}` } };
    if (request.method === 'GET' && request.path === '/v3/scopes') return json(200, { scopes: ['mail.send'] });
    return undefined;
  });
}

export const sendgridMail = (request: RecordedRequest) => JSON.parse(request.body) as SendgridMail;
