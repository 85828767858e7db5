import { Router, type Request, type RequestHandler } from 'express';
import { AdminDeleteBody, AdminDisableBody, AdminRoleParams, AdminUserIdParam } from '@solar/contracts';
import type { setAdminRole } from '../admin/set-admin-role.use-case';
import { authOf, requireRole } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { AdminAction } from './admin-action';

type Action = (input: AdminAction) => Promise<void>;

export function adminActionsRoutes(deps: {
  /** Bearer token, then its session: mounted first. */
  authenticate: RequestHandler;
  /** A sign-in within ADMIN_REAUTH_WINDOW: after the role, so only admins are told of it. */
  recentSignIn: RequestHandler;
  disable: (input: AdminAction & { reason?: string | undefined }) => Promise<void>;
  enable: Action;
  unlock: Action;
  resetTwoFactor: Action;
  endSessions: Action;
  deleteNow: (input: AdminAction & { reason: string }) => Promise<void>;
  setRole: ReturnType<typeof setAdminRole>;
}): Router {
  const router = Router();
  const guarded = [deps.authenticate, requireRole('admin'), deps.recentSignIn];
  const actionOf = (req: Request): AdminAction => ({
    userId: AdminUserIdParam.parse(req.params).id,
    adminId: authOf(req).userId,
    context: contextOf(req),
  });

  router.post('/admin/users/:id/disable', ...guarded, async (req, res) => {
    const body = AdminDisableBody.parse(req.body ?? {});
    await deps.disable({ ...actionOf(req), reason: body.reason });
    res.status(204).end();
  });
  router.post('/admin/users/:id/delete', ...guarded, async (req, res) => {
    const body = AdminDeleteBody.parse(req.body);
    await deps.deleteNow({ ...actionOf(req), reason: body.reason });
    res.status(204).end();
  });
  for (const [path, act] of [
    ['enable', deps.enable],
    ['unlock', deps.unlock],
    ['reset-two-factor', deps.resetTwoFactor],
    ['end-sessions', deps.endSessions],
  ] as const) {
    router.post(`/admin/users/:id/${path}`, ...guarded, async (req, res) => {
      await act(actionOf(req));
      res.status(204).end();
    });
  }
  for (const [method, change] of [
    ['put', 'grant'],
    ['delete', 'revoke'],
  ] as const) {
    router[method]('/admin/users/:id/roles/:role', ...guarded, async (req, res) => {
      const { id } = AdminRoleParams.parse(req.params);
      await deps.setRole({ account: { id }, change, context: contextOf(req), adminId: authOf(req).userId });
      res.status(204).end();
    });
  }
  return router;
}
