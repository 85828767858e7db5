import nodemailer from 'nodemailer';
import { failureFromError, failureFromSmtp } from './send-failure';
import type { EmailProvider } from './email-provider';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
  /** Bounds connecting, the greeting and every socket wait of one send. */
  timeoutMs: number;
}

/** SMTP through nodemailer (Mailpit in development). 5xx replies are permanent, 4xx are worth a retry. */
export function smtpProvider(settings: SmtpSettings): EmailProvider {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
    pool: true,
    maxConnections: 5,
    connectionTimeout: settings.timeoutMs,
    greetingTimeout: settings.timeoutMs,
    socketTimeout: settings.timeoutMs,
  });
  return {
    name: 'smtp',
    async send(email) {
      try {
        const info = await withDeadline(transport.sendMail({ ...email, messageId: email.messageId }), settings.timeoutMs * 3);
        return { provider: 'smtp', providerMessageId: info.messageId };
      } catch (error) {
        const { responseCode, response } = error as { responseCode?: number; response?: string };
        if (typeof responseCode === 'number') throw failureFromSmtp(responseCode, response ?? '');
        throw failureFromError(error);
      }
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}

/**
 * nodemailer's pooled transport never settles a send when a server accepts the connection and drops
 * it before greeting; its own timeouts do not cover that case, so one deadline bounds the whole send.
 */
function withDeadline<T>(sending: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no SMTP answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([sending, deadline]).finally(() => clearTimeout(timer));
}
