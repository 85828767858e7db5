import { z } from 'zod';
import { parseKeyRing, type SealingKey } from '../crypto/sealer';
import { telemetryConfigShape } from '../telemetry/telemetry-config';
import { parseDuration } from './duration';
import { NODE_ENV } from './node-env';

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads the environment once at start. Every failure names the variable, so an operator can fix a
 * deployment from the crash message alone. A `retired` variable still set is refused with what
 * replaced it: ignoring it would quietly run the deployment on a default it meant to change.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env, retired: Record<string, string> = {}): z.output<S> {
  const result = schema.safeParse(env);
  const stillSet = Object.entries(retired)
    .filter(([name]) => env[name] !== undefined)
    .map(([name, instead]) => `${name}: is no longer read; ${instead}`);
  if (result.success && stillSet.length === 0) return result.data;
  const problems = result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError([...stillSet, ...problems]);
}

export const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === null) {
        ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration such as 500ms, 10s, 15m, 24h or 30d` });
        return z.NEVER;
      }
      return ms;
    });

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65_535).default(fallback);

export const commaList = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .refine((items) => items.length > 0, 'must name at least one value');

export const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** An empty variable (`SES_ENDPOINT=` in an env file, `""` in a compose file) means unset, not "set to nothing". */
export function unsetIfEmpty<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

export const LOG_LEVEL = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** Variables every service reads: where it listens, how it logs, and how it reaches Kafka. */
export const baseConfigShape = {
  NODE_ENV,
  LOG_LEVEL,
  KAFKA_BROKERS: commaList,
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Prepended to every topic and consumer group, so test files (or tenants of one cluster) never meet. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only')
    .default(''),
  /** TLS to the brokers, verified against the system's CAs (add yours with NODE_EXTRA_CA_CERTS). */
  KAFKA_SSL: booleanFlag(false),
  /** SASL to the brokers: plain, scram-sha-256 or scram-sha-512, with KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD; use it with KAFKA_SSL. */
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  /** The service's own Kafka principal, so broker ACLs can give it only its topics and groups. */
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT: duration('20s'),
  // Read by bootstrap() before the service loads; part of every service's schema so it is checked and documented with the rest.
  ...telemetryConfigShape,
};

/** TRUST_PROXY as Express reads it: true/false, a hop count, or names and CIDRs such as `loopback`. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** A key ring such as `k2:<base64>,k1:<base64>`, checked at start like every other variable. */
export const keyRing = z
  .string({ error: 'is required: "<key id>:<32 bytes of base64>", newest first' })
  .transform((text, ctx): SealingKey[] => {
    try {
      return parseKeyRing(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/**
 * EMAIL_LINK_KEYS beside the service's DATA_ENCRYPTION_KEYS: the same key in both would let whoever
 * holds one service's data key (a database backup's reader) open the links on the topic too, and
 * tie their rotations together. Compared by key bytes, whatever the ids.
 */
export function checkEmailLinkKeys(
  config: { EMAIL_LINK_KEYS: SealingKey[]; DATA_ENCRYPTION_KEYS: SealingKey[] },
  ctx: z.RefinementCtx,
): void {
  const shared = config.EMAIL_LINK_KEYS.filter((link) => config.DATA_ENCRYPTION_KEYS.some((data) => data.key.equals(link.key)));
  for (const { id } of shared) {
    ctx.addIssue({
      code: 'custom',
      path: ['EMAIL_LINK_KEYS'],
      message: `key "${id}" is also in DATA_ENCRYPTION_KEYS; give email links a key of their own`,
    });
  }
}
