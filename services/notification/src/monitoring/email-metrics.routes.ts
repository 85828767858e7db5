import type { RequestHandler, Router } from 'express';
import type { EmailMetrics } from '@solar/contracts';
import type { DeliveryMonitor } from './delivery-monitor';
import { windowBody } from './email-health.routes';

/** Admin only: every counter since this instance started, and each provider's window. */
export function emailMetricsRoutes(router: Router, deps: { monitor: DeliveryMonitor; requireAdmin: RequestHandler }): void {
  router.get('/admin/email/metrics', deps.requireAdmin, (_req, res) => {
    const { monitor } = deps;
    const { windowMs, minAttempts, successThreshold } = monitor.policy;
    res.set('cache-control', 'no-store').json({
      // Per instance and since its start: the counters live in memory until /metrics exports them.
      scope: 'instance',
      since: monitor.since.toISOString(),
      counters: monitor.counts(),
      providers: monitor.statuses().map((status) => ({ provider: status.provider, ...windowBody(status, windowMs) })),
      policy: { windowSeconds: windowMs / 1000, minAttempts, successThreshold },
    } satisfies EmailMetrics);
  });
}
