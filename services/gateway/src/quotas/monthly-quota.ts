import type { RequestHandler } from 'express';
import { monthOf } from '@solar/contracts';
import { AppError, type Logger, type Metrics } from '@solar/chassis';
import type { QuotaStore } from './quota-store';
import { monthEnd, quotaFor, type RoleQuotas } from './usage-month';

export const USAGE_PATH = '/users/me/usage';

/**
 * Counts each verified caller's requests in the current UTC month and refuses them past their role's
 * quota (429 quota_exceeded, Retry-After to the month's end). `GET /users/me/usage` is answered here
 * and counts nothing. While Redis is unavailable quotas are not enforced: blocking every signed-in
 * user for an outage of the counter would be worse than a few uncounted requests. That is logged once
 * per outage, and again when counting resumes.
 */
export function monthlyQuota(deps: {
  store: QuotaStore;
  quotas: RoleQuotas;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}): RequestHandler {
  const rejections = deps.metrics.counter({
    name: 'solar_gateway_quota_rejections_total',
    help: 'Requests refused with 429 quota_exceeded because the caller used up its monthly quota',
  });
  let unenforced = false;
  const outage = (error: unknown) => {
    if (unenforced) return;
    unenforced = true;
    deps.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'Redis is unavailable: monthly quotas are not enforced',
    );
  };
  const recovered = () => {
    if (!unenforced) return;
    unenforced = false;
    deps.logger.info('Redis answers again: monthly quotas are enforced');
  };

  return async (req, res, next) => {
    const caller = req.caller;
    if (!caller) return next();
    const now = deps.clock();
    const month = monthOf(now);
    const resetsAt = monthEnd(now);
    const quota = quotaFor(caller.roles, deps.quotas);

    if (req.method === 'GET' && req.path.toLowerCase().replace(/\/+$/, '') === USAGE_PATH) {
      let used: number;
      try {
        used = await deps.store.used(caller.userId, month);
        recovered();
      } catch (error) {
        outage(error);
        throw new AppError('service_unavailable', 'Usage cannot be read right now', { retryAfterSeconds: 5 });
      }
      res.json({ month, used, quota, resetsAt: resetsAt.toISOString() });
      return;
    }

    let counted: { counted: boolean; used: number };
    try {
      counted = await deps.store.count(caller.userId, month, quota);
      recovered();
    } catch (error) {
      outage(error);
      return next();
    }
    if (counted.counted) return next();
    rejections.inc();
    throw new AppError('quota_exceeded', `The monthly quota of ${quota} requests is used up until ${resetsAt.toISOString()}`, {
      retryAfterSeconds: Math.ceil((resetsAt.getTime() - now.getTime()) / 1_000),
      quota,
      used: counted.used,
      resetsAt: resetsAt.toISOString(),
    });
  };
}
