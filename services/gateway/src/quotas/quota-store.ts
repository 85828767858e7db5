import type { Redis } from 'ioredis';

/** Live counters outlive their month long enough for a late MonthlyQuotaResetDue to still find them. */
const LIVE_TTL_SECONDS = 100 * 86_400;

/**
 * Counts one request unless the user is at their quota (0 = unlimited), in one step, so concurrent
 * requests on any replica can never push a user past it. Refused requests are not counted.
 * KEYS: per-user counts of the month (hash), total requests of the month. ARGV: user id, quota, TTL.
 * Returns {1 | 0 (refused), used}.
 */
const COUNT = `
local used = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
local quota = tonumber(ARGV[2])
if quota > 0 and used >= quota then return {0, used} end
used = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('INCR', KEYS[2])
if used == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
end
return {1, used}`;

/**
 * Closes a month's books once: copies its per-user counts and totals to report keys (kept until an
 * operator removes them) and marks the month done, all in one step, so a redelivered or duplicated
 * event, on any replica, records nothing twice.
 * KEYS: counts, total, report counts, report totals, done marker. ARGV: recorded-at, event id.
 * Returns 1 when recorded now, 0 when it had been already.
 */
const CLOSE_MONTH = `
if redis.call('EXISTS', KEYS[5]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('COPY', KEYS[1], KEYS[3], 'REPLACE') end
redis.call('HSET', KEYS[4], 'requests', redis.call('GET', KEYS[2]) or '0', 'users', redis.call('HLEN', KEYS[1]), 'recordedAt', ARGV[1])
redis.call('SET', KEYS[5], ARGV[2])
return 1`;

export interface MonthReport {
  month: string;
  requests: number;
  users: number;
  recordedAt: string;
  perUser: Record<string, number>;
}

/** The only code that touches the quota keys in Redis. */
export class QuotaStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'quota:',
  ) {}

  private keys(month: string) {
    return {
      counts: `${this.prefix}usage:${month}`,
      total: `${this.prefix}requests:${month}`,
      reportCounts: `${this.prefix}report:${month}:users`,
      reportTotals: `${this.prefix}report:${month}:totals`,
      closed: `${this.prefix}closed:${month}`,
    };
  }

  async count(userId: string, month: string, quota: number | null): Promise<{ counted: boolean; used: number }> {
    const keys = this.keys(month);
    const [counted, used] = (await this.redis.eval(
      COUNT,
      2,
      keys.counts,
      keys.total,
      userId,
      String(quota ?? 0),
      String(LIVE_TTL_SECONDS),
    )) as [number, number];
    return { counted: counted === 1, used };
  }

  async used(userId: string, month: string): Promise<number> {
    return Number((await this.redis.hget(this.keys(month).counts, userId)) ?? 0);
  }

  async closeMonth(month: string, recordedAt: Date, eventId: string): Promise<boolean> {
    const keys = this.keys(month);
    const recorded = await this.redis.eval(
      CLOSE_MONTH,
      5,
      keys.counts,
      keys.total,
      keys.reportCounts,
      keys.reportTotals,
      keys.closed,
      recordedAt.toISOString(),
      eventId,
    );
    return recorded === 1;
  }

  async report(month: string): Promise<MonthReport | null> {
    const keys = this.keys(month);
    const totals = await this.redis.hgetall(keys.reportTotals);
    if (!totals.recordedAt) return null;
    const perUser = Object.fromEntries(
      Object.entries(await this.redis.hgetall(keys.reportCounts)).map(([user, used]) => [user, Number(used)]),
    );
    return { month, requests: Number(totals.requests ?? 0), users: Number(totals.users ?? 0), recordedAt: totals.recordedAt, perUser };
  }
}
