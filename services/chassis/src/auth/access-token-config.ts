import { z } from 'zod';
import { duration } from '../config/config';
import { accessTokenVerifier, type AccessTokenVerifier } from './access-token-verifier';

/** How a service checks identity's access tokens (spread into its config schema). */
export const accessTokenConfigShape = {
  IDENTITY_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Both as identity signs them; the defaults are identity's. */
  JWT_ISSUER: z.string().min(1).default('solar-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('solar-api'),
  /**
   * After a refetch of identity's keys, how long a token with an unknown `kid` is refused without
   * asking identity again, so forged key ids cannot turn each request into a fetch.
   */
  JWKS_REFETCH_COOLDOWN: duration('30s'),
};

/** The verifier a service's config describes, for services that spread `accessTokenConfigShape`. */
export function accessTokenVerifierFromConfig(config: {
  IDENTITY_JWKS_URL: string;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  JWKS_REFETCH_COOLDOWN: number;
}): AccessTokenVerifier {
  return accessTokenVerifier({
    jwksUrl: config.IDENTITY_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    refetchCooldownMs: config.JWKS_REFETCH_COOLDOWN,
  });
}
