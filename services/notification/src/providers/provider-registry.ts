import type { EmailProvider } from './email-provider';
import { mailgunProvider } from './mailgun-provider';
import { EmailProviderSettings } from './provider-config';
import { sendgridProvider } from './sendgrid-provider';
import { sesProvider } from './ses-provider';
import { smtpProvider } from './smtp-provider';

/** The provider EMAIL_PROVIDER names, built from its own variables (validated again here, so typed). */
export function createEmailProvider(config: Record<string, unknown>): EmailProvider {
  const settings = EmailProviderSettings.parse(config);
  const timeoutMs = settings.PROVIDER_TIMEOUT;
  switch (settings.EMAIL_PROVIDER) {
    case 'smtp':
      return smtpProvider({
        host: settings.SMTP_HOST,
        port: settings.SMTP_PORT,
        secure: settings.SMTP_SECURE,
        user: settings.SMTP_USER,
        password: settings.SMTP_PASSWORD,
        timeoutMs,
      });
    case 'sendgrid':
      return sendgridProvider({ apiKey: settings.SENDGRID_API_KEY, apiUrl: settings.SENDGRID_API_URL, timeoutMs });
    case 'ses':
      return sesProvider({
        region: settings.SES_REGION,
        endpoint: settings.SES_ENDPOINT,
        accessKeyId: settings.SES_ACCESS_KEY_ID,
        secretAccessKey: settings.SES_SECRET_ACCESS_KEY,
        configurationSet: settings.SES_CONFIGURATION_SET,
        timeoutMs,
      });
    case 'mailgun':
      return mailgunProvider({
        apiKey: settings.MAILGUN_API_KEY,
        domain: settings.MAILGUN_DOMAIN,
        apiUrl: settings.MAILGUN_API_URL,
        timeoutMs,
      });
  }
}
