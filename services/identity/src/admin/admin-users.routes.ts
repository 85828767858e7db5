import { Router } from 'express';
import { AdminUsersQuery, type AdminUserPage } from '@solar/contracts';
import { requireRole, type authenticate } from '../auth/authenticate';
import type { listUsers } from './list-users.use-case';

export function adminUsersRoutes(deps: { list: ReturnType<typeof listUsers>; authenticate: ReturnType<typeof authenticate> }): Router {
  const router = Router();
  router.get('/admin/users', deps.authenticate, requireRole('admin'), async (req, res) => {
    const query = AdminUsersQuery.parse(req.query);
    const page = await deps.list(query);
    res.json({
      items: page.items.map((user) => ({
        id: user.id,
        email: user.email,
        emailVerified: user.emailVerifiedAt !== null,
        roles: user.roles,
        disabled: user.disabled,
        createdAt: user.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    } satisfies AdminUserPage);
  });
  return router;
}
