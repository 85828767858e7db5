import { z } from 'zod';
import { duration, unsetIfEmpty } from '@solar/chassis';

const optionalText = unsetIfEmpty(z.string().optional());
const optionalUrl = unsetIfEmpty(z.url().optional());

/** The variables of every provider, all optional here: which ones are required depends on EMAIL_PROVIDER. */
export const emailProviderShape = {
  EMAIL_PROVIDER: z.enum(['smtp', 'sendgrid', 'ses', 'mailgun']).default('smtp'),
  /** Bounds every call to the provider (connect to last byte), so a hung provider counts as a transient failure. */
  PROVIDER_TIMEOUT: duration('10s'),
  SENDGRID_API_KEY: optionalText,
  SENDGRID_API_URL: z.url().default('https://api.sendgrid.com'),
  SES_REGION: optionalText,
  SES_ENDPOINT: optionalUrl,
  SES_ACCESS_KEY_ID: optionalText,
  SES_SECRET_ACCESS_KEY: optionalText,
  SES_CONFIGURATION_SET: optionalText,
  MAILGUN_API_KEY: optionalText,
  MAILGUN_DOMAIN: optionalText,
  MAILGUN_API_URL: z.url().default('https://api.mailgun.net'),
};

const needed = (provider: string) =>
  z.string({ error: `is required when EMAIL_PROVIDER=${provider}` }).min(1, `is required when EMAIL_PROVIDER=${provider}`);

/** What each provider needs, read from the parsed configuration: the single source of "required". */
export const EmailProviderSettings = z.discriminatedUnion('EMAIL_PROVIDER', [
  z.object({
    EMAIL_PROVIDER: z.literal('smtp'),
    PROVIDER_TIMEOUT: z.number(),
    SMTP_HOST: needed('smtp'),
    SMTP_PORT: z.number(),
    SMTP_SECURE: z.boolean(),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
  }),
  z.object({
    EMAIL_PROVIDER: z.literal('sendgrid'),
    PROVIDER_TIMEOUT: z.number(),
    SENDGRID_API_KEY: needed('sendgrid'),
    SENDGRID_API_URL: z.string(),
  }),
  z
    .object({
      EMAIL_PROVIDER: z.literal('ses'),
      PROVIDER_TIMEOUT: z.number(),
      SES_REGION: needed('ses'),
      SES_ENDPOINT: z.string().optional(),
      SES_ACCESS_KEY_ID: z.string().optional(),
      SES_SECRET_ACCESS_KEY: z.string().optional(),
      SES_CONFIGURATION_SET: z.string().optional(),
    })
    .superRefine((ses, ctx) => {
      // One without the other is a half-configured secret, not a request for the default chain.
      if (!ses.SES_ACCESS_KEY_ID !== !ses.SES_SECRET_ACCESS_KEY) {
        const missing = ses.SES_ACCESS_KEY_ID ? 'SES_SECRET_ACCESS_KEY' : 'SES_ACCESS_KEY_ID';
        ctx.addIssue({ code: 'custom', path: [missing], message: 'set both SES_ACCESS_KEY_ID and SES_SECRET_ACCESS_KEY, or neither' });
      }
    }),
  z.object({
    EMAIL_PROVIDER: z.literal('mailgun'),
    PROVIDER_TIMEOUT: z.number(),
    MAILGUN_API_KEY: needed('mailgun'),
    MAILGUN_DOMAIN: needed('mailgun'),
    MAILGUN_API_URL: z.string(),
  }),
]);
export type EmailProviderSettings = z.output<typeof EmailProviderSettings>;

/** For the service's config schema: reports the chosen provider's missing variables at start, by name. */
export function checkEmailProvider(config: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const result = EmailProviderSettings.safeParse(config);
  if (result.success) return;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}
