import { Router } from 'express';
import { z } from 'zod';
import { authOf, type authenticate } from '../auth/authenticate';
import { profileDeletionView } from '../deletion/pending-deletion';
import { contextOf } from '../http/request-context';
import type { UserSummary } from '../users/user.repository';
import type { getProfile } from './get-profile.use-case';
import type { updateProfile } from './update-profile.use-case';

// C0/C1 controls, and the bidirectional overrides that make a name display as something it is not.
const UNPRINTABLE = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty; send null to clear it')
  // Counted in characters as people see them (code points), not UTF-16 units.
  .refine((name) => [...name].length <= 100, 'must be at most 100 characters')
  .refine((name) => !UNPRINTABLE.test(name), 'must not contain control characters');

/** Strict: a misspelled or unsupported field is refused rather than silently ignored. */
export const UpdateProfileBody = z.object({ displayName: DisplayName.nullable() }).strict();

/** The account as its owner sees it, with the pending deletion (`{requestedAt, purgeAt, reason}`) or null. */
export const profileView = (user: UserSummary) => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
  displayName: user.displayName,
  roles: user.roles,
  createdAt: user.createdAt.toISOString(),
  deletion: profileDeletionView(user.deletion),
});

export function profileRoutes(deps: {
  get: ReturnType<typeof getProfile>;
  update: ReturnType<typeof updateProfile>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.get('/users/me', deps.authenticate, async (req, res) => {
    res.set('cache-control', 'no-store').json(profileView(await deps.get(authOf(req).userId)));
  });
  router.patch('/users/me', deps.authenticate, async (req, res) => {
    const body = UpdateProfileBody.parse(req.body);
    const user = await deps.update({ userId: authOf(req).userId, displayName: body.displayName, context: contextOf(req) });
    res.set('cache-control', 'no-store').json(profileView(user));
  });
  return router;
}
