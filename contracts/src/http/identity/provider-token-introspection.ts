import { z } from 'zod';

/** Where identity answers it; outside the gateway's routes (nothing under /v1 reaches it). */
export const PROVIDER_TOKEN_INTROSPECTION_PATH = '/internal/provider-token';

/**
 * What `GET /internal/provider-token` answers the bearer of a live access token from the OpenID
 * Connect provider: not part of the public API, for the gateway, which lets such tokens call the
 * operations their scopes reach. `userId` is null for a client-credentials token (no account).
 */
export const ProviderTokenIntrospection = z.object({
  userId: z.string().nullable(),
  clientId: z.string(),
  scopes: z.array(z.string()),
  emailVerified: z.boolean(),
});
export type ProviderTokenIntrospection = z.infer<typeof ProviderTokenIntrospection>;
