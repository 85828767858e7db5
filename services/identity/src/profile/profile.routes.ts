import { Router } from 'express';
import { UpdateProfileBody, type Profile } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { profileDeletionView } from '../deletion/pending-deletion';
import { contextOf } from '../http/request-context';
import type { UserSummary } from '../users/user.repository';
import type { getProfile } from './get-profile.use-case';
import type { updateProfile } from './update-profile.use-case';

/** The account as its owner sees it, with the pending deletion (`{requestedAt, purgeAt, reason}`) or null. */
const profileView = (user: UserSummary): Profile => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
  displayName: user.displayName,
  locale: user.locale,
  roles: user.roles,
  createdAt: user.createdAt.toISOString(),
  deletion: profileDeletionView(user.deletion),
  passwordBreached: user.passwordBreached,
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
    const user = await deps.update({ userId: authOf(req).userId, ...body, context: contextOf(req) });
    res.set('cache-control', 'no-store').json(profileView(user));
  });
  return router;
}
