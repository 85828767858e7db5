import { failureFromError, failureFromHttp } from './send-failure';
import type { EmailProvider } from './email-provider';

export interface MailgunSettings {
  apiKey: string;
  domain: string;
  /** https://api.mailgun.net (https://api.eu.mailgun.net for EU domains), or a local server in tests. */
  apiUrl: string;
  timeoutMs: number;
}

/** Mailgun's HTTP API with fetch: `POST /v3/{domain}/messages` as a form; the message id is the answer's `id`. */
export function mailgunProvider(settings: MailgunSettings): EmailProvider {
  const base = settings.apiUrl.replace(/\/+$/, '');
  const domain = encodeURIComponent(settings.domain);
  const authorization = `Basic ${Buffer.from(`api:${settings.apiKey}`).toString('base64')}`;

  async function call(path: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      throw failureFromError(error);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw failureFromError(error);
    }
    if (!response.ok) throw failureFromHttp(response.status, messageOf(text));
    return parse(text);
  }

  return {
    name: 'mailgun',
    async send(email) {
      const form = new URLSearchParams({
        from: email.from,
        to: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        'h:Message-Id': email.messageId,
      });
      const answer = await call(`/v3/${domain}/messages`, { method: 'POST', body: form });
      const id = (answer as { id?: unknown } | null)?.id;
      return { provider: 'mailgun', providerMessageId: typeof id === 'string' && id ? id : email.messageId };
    },
    async verify() {
      await call(`/v3/domains/${domain}`, { method: 'GET' });
    },
    close() {},
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function messageOf(text: string): string {
  const message = (parse(text) as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : text.slice(0, 200);
}
