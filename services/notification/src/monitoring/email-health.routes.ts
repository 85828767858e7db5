import type { Router } from 'express';
import type { DeliveryWindow, EmailHealth } from '@solar/contracts';
import type { ProviderName } from '../providers/email-provider';
import type { DeliveryMonitor, ProviderStatus } from './delivery-monitor';
import type { ProviderReachability } from './provider-reachability';

export interface EmailHealthDeps {
  provider: ProviderName;
  monitor: Pick<DeliveryMonitor, 'status'>;
  reachability: Pick<ProviderReachability, 'check'>;
}

/** The window figures as both endpoints show them. */
export function windowBody(status: ProviderStatus, windowMs: number): DeliveryWindow {
  return {
    successRate: status.successRate,
    attempts: status.attempted,
    failed: status.failed,
    window: { start: status.windowStart.toISOString(), end: status.windowEnd.toISOString(), seconds: windowMs / 1000 },
    degraded: status.degraded,
  };
}

/**
 * Public (through the gateway, no token): 200 when the provider answers and the recent success rate
 * is not degraded, 503 otherwise. The body holds figures and booleans only, never an error text.
 */
export function emailHealthRoutes(router: Router, deps: EmailHealthDeps & { windowMs: number }): void {
  router.get('/health/email', async (_req, res) => {
    const reachable = await deps.reachability.check();
    const status = deps.monitor.status(deps.provider);
    const healthy = reachable && !status.degraded;
    res
      .status(healthy ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({
        status: healthy ? 'up' : 'down',
        provider: deps.provider,
        reachable,
        ...windowBody(status, deps.windowMs),
      } satisfies EmailHealth);
  });
}
