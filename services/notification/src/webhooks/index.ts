import type { Feature, Logger } from '@solar/chassis';
import type { NotificationConfig } from '../config';
import { recordMailEvents } from '../suppression/record-mail-events.use-case';
import type { SuppressionRepository } from '../suppression/suppression.repository';
import { emailWebhooks } from './email-webhooks';
import { emailWebhooksRouter, WEBHOOKS_PATH } from './email-webhooks.routes';
import type { WebhookTokenRepository } from './webhook-token.repository';

/** The providers' bounce and complaint reports, recorded on the suppression list. */
export function webhooksFeature(deps: {
  config: NotificationConfig;
  suppressions: SuppressionRepository;
  tokens: WebhookTokenRepository;
  mailEvents: Parameters<typeof recordMailEvents>[0]['counter'];
  clock: () => Date;
  logger: Logger;
}): Feature {
  const { config, clock, logger } = deps;
  const webhooks = emailWebhooks({
    config,
    record: recordMailEvents({ suppressions: deps.suppressions, clock, counter: deps.mailEvents }),
    tokens: deps.tokens,
    clock,
    logger,
  });
  return { routes: (app) => app.use(WEBHOOKS_PATH, emailWebhooksRouter(webhooks)) };
}
