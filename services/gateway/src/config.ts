import { z } from 'zod';
import { LOG_LEVEL, duration, port } from '@solar/chassis';

export const GatewayConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL,
  GATEWAY_PORT: port(8080),
  HOST: z.string().default('0.0.0.0'),
  IDENTITY_URL: z.url().default('http://127.0.0.1:3001'),
  NOTIFICATION_URL: z.url().default('http://127.0.0.1:3002'),
  /** How long an upstream may take before the client gets 504. */
  UPSTREAM_TIMEOUT: duration('10s'),
  TRUST_PROXY: z.string().default('loopback'),
  /** Bodies announced larger than this are refused here, before they reach a service. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(102_400),
  WEBHOOK_BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  SHUTDOWN_TIMEOUT: duration('20s'),
});
export type GatewayConfig = z.output<typeof GatewayConfig>;
