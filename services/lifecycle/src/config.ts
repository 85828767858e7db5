import { z } from 'zod';
import { baseConfigShape, port } from '@solar/chassis';

export const LifecycleConfig = z.object({
  ...baseConfigShape,
  PORT: port(3003),
  HOST: z.string().default('0.0.0.0'),
  MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
});
export type LifecycleConfig = z.output<typeof LifecycleConfig>;
