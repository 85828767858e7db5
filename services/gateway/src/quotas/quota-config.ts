import { z } from 'zod';
import { booleanFlag } from '@solar/chassis';

const monthlyQuota = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/** Spread into the gateway's config schema. */
export const quotaConfigShape = {
  /** Count each signed-in user's requests per UTC month against their role's quota. Needs REDIS_URL and Kafka. */
  QUOTAS_ENABLED: booleanFlag(true),
  /** Requests per UTC month for the `user` role; 0 = unlimited. */
  QUOTA_USER: monthlyQuota(10_000),
  /** Requests per UTC month for the `admin` role; 0 = unlimited. */
  QUOTA_ADMIN: monthlyQuota(0),
};
