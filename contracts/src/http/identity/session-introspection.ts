import { z } from 'zod';

/** Where identity answers it; outside the gateway's routes (nothing under /v1 reaches it). */
export const SESSION_INTROSPECTION_PATH = '/internal/session';

/**
 * What `GET /internal/session` answers the bearer of a live session: not part of the public API,
 * for the other services' admin routes, which need the session (not only the token) to still stand
 * and the roles the user has now, not those the token was issued with.
 */
export const SessionIntrospection = z.object({
  userId: z.string(),
  sessionId: z.string(),
  roles: z.array(z.string()),
  /**
   * Whether the session was signed into (every factor) within identity's ADMIN_REAUTH_WINDOW: admin
   * actions elsewhere want it as identity's own do, judged by identity's clock and window. Missing
   * (an identity from before it) counts as not recent: such actions are refused, never let through.
   */
  signedInRecently: z.boolean().default(false),
  reauthWindowSeconds: z.number().int().min(0).default(0),
});
export type SessionIntrospection = z.infer<typeof SessionIntrospection>;
