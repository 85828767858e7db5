import { Router } from 'express';
import { AdminUserIdParam, AdminUsersQuery, type AdminUserDetail, type AdminUserPage } from '@solar/contracts';
import { requireRole, type authenticate } from '../auth/authenticate';
import { profileDeletionView } from '../deletion/pending-deletion';
import { pendingResetView } from '../two-factor/pending-reset';
import type { UserSummary } from '../users/user.repository';
import type { getUser } from './get-user.use-case';
import type { listUsers } from './list-users.use-case';

const listView = (user: UserSummary): AdminUserPage['items'][number] => ({
  id: user.id,
  email: user.email,
  emailVerified: user.emailVerifiedAt !== null,
  roles: user.roles,
  disabled: user.disabled,
  createdAt: user.createdAt.toISOString(),
});

export function adminUsersRoutes(deps: {
  list: ReturnType<typeof listUsers>;
  get: ReturnType<typeof getUser>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.get('/admin/users', deps.authenticate, requireRole('admin'), async (req, res) => {
    const query = AdminUsersQuery.parse(req.query);
    const page = await deps.list(query);
    res.json({ items: page.items.map(listView), nextCursor: page.nextCursor } satisfies AdminUserPage);
  });
  router.get('/admin/users/:id', deps.authenticate, requireRole('admin'), async (req, res) => {
    const { user, twoFactor, sessions } = await deps.get(AdminUserIdParam.parse(req.params).id);
    res.set('cache-control', 'no-store').json({
      ...listView(user),
      displayName: user.displayName,
      locale: user.locale,
      deletion: profileDeletionView(user.deletion),
      twoFactor: {
        enabled: twoFactor.enabledAt !== null,
        enabledAt: twoFactor.enabledAt?.toISOString() ?? null,
        reset: twoFactor.reset ? pendingResetView(twoFactor.reset) : null,
      },
      sessions: sessions.map((session) => ({
        id: session.id,
        userAgent: session.userAgent,
        ip: session.ip,
        createdAt: session.createdAt.toISOString(),
        lastUsedAt: session.lastUsedAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
      })),
    } satisfies AdminUserDetail);
  });
  return router;
}
