import { Redis } from 'ioredis';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Logger } from '@solar/chassis';

/**
 * The Redis connection behind the shared limits, tuned to fail fast: no offline queue (a command
 * while disconnected fails at once instead of waiting), one retry, and a command timeout, so a dead
 * Redis costs a request milliseconds before the in-memory fallback counts it. ioredis keeps
 * reconnecting in the background by itself.
 */
export function createRedisClient(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  // Without a listener ioredis prints every failed reconnect; the fallback state logs the outage once.
  redis.on('error', (error: Error) => logger.debug({ err: error.message }, 'redis connection error'));
  return redis;
}

/** One store per limiter (express-rate-limit refuses a store shared by two limiters), one key prefix each. */
export function redisStore(redis: Redis, prefix: string): RedisStore {
  return new RedisStore({
    prefix,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

export async function pingRedis(redis: Redis): Promise<void> {
  // A string, not the 'PONG' that ioredis's types promise: this check is for when it is not.
  const answer: string = await redis.ping();
  if (answer !== 'PONG') throw new Error(`Redis answered ${answer} to PING`);
}
