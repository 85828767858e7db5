import {
  accessTokenVerifierFromConfig,
  requireAdmin,
  sessionIntrospectorFromConfig,
  type Feature,
  type Logger,
  type Publisher,
} from '@solar/chassis';
import type { NotificationConfig } from '../config';
import type { EmailProvider } from '../providers/email-provider';
import { deliveryAlerts } from './delivery-alerts';
import { DeliveryMonitor } from './delivery-monitor';
import { emailHealthRoutes } from './email-health.routes';
import { emailMetricsRoutes } from './email-metrics.routes';
import { ProviderReachability } from './provider-reachability';

export type MonitoringFeature = Feature & {
  /** Told every delivery's outcome: it raises the alerts and answers the health and metrics routes. */
  monitor: DeliveryMonitor;
};

/** The provider's delivery rate and reachability, its alerts, and the routes reporting them. */
export function monitoringFeature(deps: {
  config: NotificationConfig;
  provider: EmailProvider;
  publisher: Publisher;
  clock: () => Date;
  logger: Logger;
}): MonitoringFeature {
  const { config, provider, clock, logger } = deps;
  const monitor = new DeliveryMonitor({
    windowMs: config.EMAIL_ALERT_WINDOW,
    minAttempts: config.EMAIL_ALERT_MIN_ATTEMPTS,
    successThreshold: config.EMAIL_ALERT_SUCCESS_THRESHOLD,
    providers: [provider.name],
    alerts: deliveryAlerts({
      publisher: deps.publisher,
      logger,
      clock,
      webhookUrl: config.ALERT_WEBHOOK_URL,
      webhookTimeoutMs: config.ALERT_WEBHOOK_TIMEOUT,
    }),
    clock,
    logger,
  });
  const reachability = new ProviderReachability({
    verify: () => provider.verify(),
    cacheMs: config.EMAIL_HEALTH_CACHE,
    timeoutMs: config.EMAIL_HEALTH_TIMEOUT,
    clock,
    logger,
  });
  const admin = requireAdmin(accessTokenVerifierFromConfig(config), logger, sessionIntrospectorFromConfig(config));
  return {
    monitor,
    routes: (app) => {
      emailHealthRoutes(app, { provider: provider.name, monitor, reachability, windowMs: config.EMAIL_ALERT_WINDOW });
      emailMetricsRoutes(app, { monitor, requireAdmin: admin });
    },
    workers: [{ name: 'delivery monitor', start: () => monitor.start(), stop: () => monitor.stop() }],
  };
}
