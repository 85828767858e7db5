import { accessTokenVerifierFromConfig, requireAdmin, sessionIntrospectorFromConfig, type Feature, type Logger } from '@solar/chassis';
import type { NotificationConfig } from '../config';
import type { DeliveryRepository } from '../delivery/delivery.repository';
import { bounceRateWebhook } from '../monitoring/delivery-alerts';
import { BounceRateMonitor } from './bounce-rate-monitor';
import { manageSuppressions } from './manage-suppressions.use-case';
import type { SuppressionRepository } from './suppression.repository';
import { suppressionsRoutes } from './suppressions.routes';

/** Watches the bounce rate of what was sent, which providers suspend senders for. */
export function bounceRateFeature(deps: {
  config: NotificationConfig;
  suppressions: SuppressionRepository;
  deliveries: DeliveryRepository;
  clock: () => Date;
  logger: Logger;
}): Feature {
  const { config, logger } = deps;
  const bounceRate = new BounceRateMonitor({
    bounceStats: (since) => deps.suppressions.bounceStats(since),
    sentSince: (since) => deps.deliveries.countSentSince(since),
    settings: {
      threshold: config.EMAIL_BOUNCE_RATE_THRESHOLD,
      windowMs: config.EMAIL_BOUNCE_RATE_WINDOW,
      minSent: config.EMAIL_BOUNCE_RATE_MIN_SENT,
    },
    intervalMs: config.EMAIL_BOUNCE_RATE_CHECK_INTERVAL,
    clock: deps.clock,
    logger,
    ...(config.ALERT_WEBHOOK_URL
      ? { alert: bounceRateWebhook({ webhookUrl: config.ALERT_WEBHOOK_URL, webhookTimeoutMs: config.ALERT_WEBHOOK_TIMEOUT, logger }) }
      : {}),
  });
  return { workers: [{ name: 'bounce rate monitor', start: () => bounceRate.start(), stop: () => bounceRate.stop() }] };
}

/** The suppression list, the reports behind it and its removals, for admins. */
export function suppressionAdminFeature(deps: {
  config: NotificationConfig;
  suppressions: SuppressionRepository;
  clock: () => Date;
  logger: Logger;
}): Feature {
  const { config, logger } = deps;
  const verify = accessTokenVerifierFromConfig(config);
  const session = sessionIntrospectorFromConfig(config);
  const manage = manageSuppressions(deps);
  return {
    routes: (app) =>
      suppressionsRoutes(app, {
        manage,
        requireAdmin: requireAdmin(verify, logger, session),
        requireAdminRecentSignIn: requireAdmin(verify, logger, session, { recentSignIn: true }),
      }),
  };
}
