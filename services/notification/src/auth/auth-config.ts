import { z } from 'zod';

/** How notification checks identity's access tokens on its admin routes (spread into NotificationConfig). */
export const adminAuthConfigShape = {
  IDENTITY_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Both as identity signs them; the defaults are identity's. */
  JWT_ISSUER: z.string().min(1).default('solar-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('solar-api'),
};
