import type { Logger } from '@solar/chassis';
import type { NotificationConfig } from '../config';
import type { recordMailEvents } from '../suppression/record-mail-events.use-case';
import type { EmailWebhooks } from './email-webhooks.routes';
import { confirmSnsSubscription, receiveMailgunWebhook, receiveSendgridWebhook, receiveSesWebhook } from './receive-webhooks.use-case';
import { sendgridPublicKey } from './sendgrid-signature';
import { snsCertificates } from './sns-certificates';
import type { WebhookTokenStore } from './webhook-token.repository';

/** The webhook endpoints the configuration enables, each with what it needs. */
export function emailWebhooks(deps: {
  config: NotificationConfig;
  record: ReturnType<typeof recordMailEvents>;
  tokens: WebhookTokenStore;
  clock: () => Date;
  logger: Logger;
}): EmailWebhooks {
  const { config } = deps;
  const common = { record: deps.record, clock: deps.clock, maxSkewMs: config.WEBHOOK_MAX_SKEW, logger: deps.logger };
  const urlOverride = config.SNS_CERT_URL_PATTERN === undefined ? undefined : new RegExp(config.SNS_CERT_URL_PATTERN);
  return {
    sendgrid: config.SENDGRID_WEBHOOK_PUBLIC_KEY
      ? receiveSendgridWebhook({ ...common, publicKey: sendgridPublicKey(config.SENDGRID_WEBHOOK_PUBLIC_KEY) })
      : undefined,
    mailgun: config.MAILGUN_WEBHOOK_SIGNING_KEY
      ? receiveMailgunWebhook({ ...common, signingKey: config.MAILGUN_WEBHOOK_SIGNING_KEY, tokens: deps.tokens })
      : undefined,
    ses: config.SES_SNS_TOPIC_ARN
      ? receiveSesWebhook({
          ...common,
          topicArns: new Set(config.SES_SNS_TOPIC_ARN),
          urlOverride,
          maxAgeMs: config.SES_WEBHOOK_MAX_AGE,
          messageIds: deps.tokens,
          certificates: snsCertificates({ override: urlOverride, timeoutMs: 5_000 }),
          confirmSubscription: (url) => confirmSnsSubscription(url),
        })
      : undefined,
  };
}
