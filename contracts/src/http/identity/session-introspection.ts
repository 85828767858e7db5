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
   * Whether the session was signed into within identity's ADMIN_REAUTH_WINDOW, which the other
   * services' admin actions want as identity's own do; absent (an older identity) counts as not.
   */
  signedInRecently: z.boolean().default(false),
  /** ADMIN_REAUTH_WINDOW in seconds, for the `reauthentication_required` problem. */
  reauthWindowSeconds: z.number().int().min(0).optional(),
});
export type SessionIntrospection = z.input<typeof SessionIntrospection>;
