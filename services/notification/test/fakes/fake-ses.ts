import { randomBytes } from 'node:crypto';
import { FakeHttpServer, json, type RecordedRequest } from './fake-http-server';

export interface SesSendEmailBody {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  ConfigurationSetName?: string;
  Content: {
    Simple: {
      Subject: { Data: string; Charset?: string };
      Body: { Html?: { Data: string }; Text?: { Data: string } };
      Headers?: { Name: string; Value: string }[];
    };
  };
}

/**
 * SES v2's REST API as documented: `POST /v2/email/outbound-emails` with a JSON body answers
 * `{"MessageId": ...}`; `GET /v2/email/account` describes the account. Requests must be signed with
 * SigV4 by the expected key id; others get 403 as SES answers unknown keys.
 */
export function fakeSes(accessKeyId: string): FakeHttpServer {
  const isSend = (request: RecordedRequest) => request.method === 'POST' && request.path === '/v2/email/outbound-emails';
  return new FakeHttpServer(isSend, (request) => {
    if (!signedBy(request, accessKeyId)) {
      return json(
        403,
        { message: 'The security token included in the request is invalid.' },
        { 'x-amzn-errortype': 'UnrecognizedClientException' },
      );
    }
    if (isSend(request)) return json(200, { MessageId: `0100${randomBytes(12).toString('hex')}-000000` });
    if (request.method === 'GET' && request.path === '/v2/email/account') {
      return json(200, { SendingEnabled: true, ProductionAccessEnabled: true, EnforcementStatus: 'HEALTHY' });
    }
    return undefined;
  });
}

export function signedBy(request: RecordedRequest, accessKeyId: string): boolean {
  return (request.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${accessKeyId}/`);
}

export const sesBody = (request: RecordedRequest) => JSON.parse(request.body) as SesSendEmailBody;
