import { z } from 'zod';
import { baseConfigShape, keyRing, duration, port } from '@solar/chassis';

export const IdentityConfig = z.object({
  ...baseConfigShape,
  PORT: port(3001),
  HOST: z.string().default('0.0.0.0'),
  MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
  /** `id:base64key[,older...]`: seals secrets at rest (outbox payloads); the first key seals. */
  DATA_ENCRYPTION_KEYS: keyRing,
  /** Base of the links in emails: the web app that hosts /verify-email and friends. */
  APP_URL: z.url().default('http://127.0.0.1:8080'),
  EMAIL_VERIFICATION_TTL: duration('24h'),
  TRUST_PROXY: z.string().default('loopback'),
  BODY_LIMIT: z.string().default('100kb'),
  OUTBOX_SWEEP_INTERVAL: duration('5s'),
  OUTBOX_SETTLE: duration('5s'),
});
export type IdentityConfig = z.output<typeof IdentityConfig>;
