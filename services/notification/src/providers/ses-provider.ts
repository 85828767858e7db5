import { GetAccountCommand, SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { failureFromError, failureFromHttp } from './send-failure';
import type { EmailProvider } from './email-provider';

export interface SesSettings {
  region: string;
  /** A local server that speaks the SES v2 API in tests; the regional endpoint when absent. */
  endpoint?: string | undefined;
  /** Both or neither: without them the SDK's default credential chain applies (IRSA, instance role, env). */
  accessKeyId?: string | undefined;
  secretAccessKey?: string | undefined;
  configurationSet?: string | undefined;
  timeoutMs: number;
}

/** Amazon SES v2 `SendEmail` with Simple content; the message id is the answer's `MessageId`. */
export function sesProvider(settings: SesSettings): EmailProvider {
  const client = new SESv2Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
    // Delivery owns retries and their backoff; the SDK's own would multiply the attempts.
    maxAttempts: 1,
  });
  const options = () => ({ abortSignal: AbortSignal.timeout(settings.timeoutMs) });

  return {
    name: 'ses',
    async send(email) {
      try {
        const answer = await client.send(
          new SendEmailCommand({
            FromEmailAddress: email.from,
            Destination: { ToAddresses: [email.to] },
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: { Html: { Data: email.html, Charset: 'UTF-8' }, Text: { Data: email.text, Charset: 'UTF-8' } },
                // SES documents that it overwrites a Message-ID it is given with its own, so ours also
                // travels as X-Solar-Message-ID: the stable id a resend after a crash is recognised by.
                Headers: [
                  { Name: 'Message-ID', Value: email.messageId },
                  { Name: 'X-Solar-Message-ID', Value: email.messageId },
                ],
              },
            },
            ...(settings.configurationSet ? { ConfigurationSetName: settings.configurationSet } : {}),
          }),
          options(),
        );
        return { provider: 'ses', providerMessageId: answer.MessageId ?? email.messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    async verify() {
      try {
        await client.send(new GetAccountCommand({}), options());
      } catch (error) {
        throw classify(error);
      }
    },
    close() {
      client.destroy();
    },
  };
}

function classify(error: unknown) {
  // Service errors carry the HTTP status in $metadata; network and abort errors do not.
  const { $metadata, name, message } = error as { $metadata?: { httpStatusCode?: unknown }; name?: unknown; message?: unknown };
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 300) return failureFromHttp(status, `${String(name)}: ${String(message)}`);
  return failureFromError(error);
}
