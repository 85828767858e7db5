import { Client } from '@sendgrid/client';
import sgMail from '@sendgrid/mail';
import { failureFromError, failureFromHttp } from './send-failure';
import type { EmailProvider } from './email-provider';

export interface SendgridSettings {
  apiKey: string;
  /** https://api.sendgrid.com, or a local server that speaks its v3 API in tests. */
  apiUrl: string;
  timeoutMs: number;
}

type MailService = typeof sgMail;
// The package's default export is one process-wide mailer; each provider gets its own, so two
// services in one process (tests) never share a base URL or key. The class is exported untyped.
const MailServiceClass = (sgMail as unknown as { MailService: new () => MailService }).MailService;

/** SendGrid's v3 Mail Send API through @sendgrid/mail; the message id is the `x-message-id` header. */
export function sendgridProvider(settings: SendgridSettings): EmailProvider {
  const client = new Client();
  client.setApiKey(settings.apiKey);
  client.setDefaultRequest('baseUrl', settings.apiUrl);
  const mailer = new MailServiceClass();
  mailer.setClient(client);
  mailer.setTimeout(settings.timeoutMs);

  return {
    name: 'sendgrid',
    async send(email) {
      try {
        const [response] = await mailer.send({
          from: email.from,
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
          headers: { 'Message-ID': email.messageId },
        });
        const id = header(response.headers, 'x-message-id');
        // A 2xx without the header has still been accepted: our Message-ID is the next best handle.
        return { provider: 'sendgrid', providerMessageId: id ?? email.messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    async verify() {
      try {
        await client.request({ method: 'GET', url: '/v3/scopes' });
      } catch (error) {
        throw classify(error);
      }
    },
    close() {},
  };
}

function classify(error: unknown) {
  // @sendgrid's ResponseError carries the HTTP status as a numeric `code` and the parsed body.
  const { code, response } = error as { code?: unknown; response?: { body?: unknown } };
  if (typeof code === 'number') return failureFromHttp(code, errorMessages(response?.body));
  return failureFromError(error);
}

function errorMessages(body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return typeof body === 'string' ? body : '';
  return errors
    .map((entry: { message?: unknown; field?: unknown }) =>
      [entry.field, entry.message].filter((part) => typeof part === 'string').join(': '),
    )
    .join('; ');
}

function header(headers: unknown, name: string): string | undefined {
  const value = (headers as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
