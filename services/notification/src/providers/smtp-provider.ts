import nodemailer from 'nodemailer';
import { PermanentSendError, type EmailProvider } from './email-provider';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string | undefined;
  password?: string | undefined;
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
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    name: 'smtp',
    async send(email) {
      try {
        const info = await transport.sendMail({ ...email, messageId: email.messageId });
        return { provider: 'smtp', providerMessageId: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        if (code !== undefined && code >= 500) throw new PermanentSendError(`SMTP refused the message (${code})`);
        throw error;
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
