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
});
export type SessionIntrospection = z.infer<typeof SessionIntrospection>;
