import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Feature, Logger, Metrics } from '@solar/chassis';
import { monthlyQuota } from './monthly-quota';
import { monthlyQuotaResetHandler } from './quota-reset.consumer';
import { QuotaStore } from './quota-store';

export type QuotasFeature = Feature & {
  /** Counts each request against its caller's month; mounted in the /v1 pipeline after the caller is known. */
  middleware: RequestHandler;
};

/** The monthly request quotas, and the month's record when lifecycle's MonthlyQuotaResetDue arrives. */
export function quotasFeature(deps: {
  config: { QUOTA_USER: number; QUOTA_ADMIN: number };
  redis: Redis;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}): QuotasFeature {
  const { config, clock, logger, metrics } = deps;
  const store = new QuotaStore(deps.redis);
  return {
    middleware: monthlyQuota({ store, quotas: { user: config.QUOTA_USER, admin: config.QUOTA_ADMIN }, clock, logger, metrics }),
    handlers: [monthlyQuotaResetHandler({ store, clock, logger })],
  };
}
