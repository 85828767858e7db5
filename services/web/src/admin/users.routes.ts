import type { Express } from 'express';
import { z } from 'zod';
import { AdminAuditPage, AdminDeleteBody, AdminUserDetail, AdminUserIdParam, AdminUserPage } from '@solar/contracts';
import type { ApiProblem } from '../api/gateway-client';
import { problemSentence } from '../api/problem-messages';
import { pageOf, type Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { adminToken, afterRefusal, problemParam, renderAdminProblem } from './admin-access';
import { renderDeleteConfirmation, renderUser, renderUserSearch, userPath } from './users.page';

const SearchQuery = z.object({ q: z.string().trim().max(254).catch(''), cursor: z.string().max(512).optional().catch(undefined) });

/** How many audit entries an account's page shows. */
const RECENT_AUDIT = 10;

/** Each action button: the API call it makes and what the page says once it is done. */
const ACTIONS: Record<string, { method: 'POST' | 'PUT' | 'DELETE'; path: string; done: string }> = {
  disable: { method: 'POST', path: 'disable', done: 'disabled' },
  enable: { method: 'POST', path: 'enable', done: 'enabled' },
  unlock: { method: 'POST', path: 'unlock', done: 'unlocked' },
  'reset-two-factor': { method: 'POST', path: 'reset-two-factor', done: 'two-factor-reset' },
  'end-sessions': { method: 'POST', path: 'end-sessions', done: 'sessions-ended' },
  'grant-admin': { method: 'PUT', path: 'roles/admin', done: 'admin-granted' },
  'revoke-admin': { method: 'DELETE', path: 'roles/admin', done: 'admin-revoked' },
};

const DONE = new Set(Object.values(ACTIONS).map((action) => action.done));

/** Account search, one account's page, and its actions: each a POST, then a 303 back with what happened. */
export function adminUserRoutes(app: Express): void {
  app.get('/admin', (req) => pageOf(req).redirect('/admin/users'));

  app.get('/admin/users', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const query = SearchQuery.parse(req.query);
    const params = new URLSearchParams({
      limit: '20',
      ...(query.q ? { q: query.q } : {}),
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    const users = await page.api({ method: 'GET', path: `/admin/users?${params.toString()}`, accessToken }, AdminUserPage);
    if (!users.ok) return renderAdminProblem(page, users.problem, '/admin/users');
    renderUserSearch(page, {
      q: query.q,
      users: users.body,
      info: req.query.done === 'deleted' ? page.t('admin.done.deleted') : undefined,
    });
  });

  app.get('/admin/users/:id', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const ref = AdminUserIdParam.safeParse(req.params);
    if (!ref.success) return page.redirect('/admin/users');
    const [user, audit] = await Promise.all([
      accountOf(page, accessToken, ref.data.id),
      page.api(
        {
          method: 'GET',
          path: `/admin/audit-log?${new URLSearchParams({ userId: ref.data.id, limit: String(RECENT_AUDIT) }).toString()}`,
          accessToken,
        },
        AdminAuditPage,
      ),
    ]);
    if (!user.ok) return renderAdminProblem(page, user.problem, userPath(ref.data.id));
    const done =
      typeof req.query.done === 'string' && DONE.has(req.query.done) ? (`admin.done.${req.query.done}` as MessageKey) : undefined;
    const problem = problemParam(req.query.problem);
    renderUser(page, {
      user: user.body,
      audit: audit.ok ? audit.body : null,
      info: done ? page.t(done) : undefined,
      error: problem ? problemSentence(problem, page.t) : undefined,
    });
  });

  app.post('/admin/users/:id/:action', async (req, _res, next) => {
    const page = pageOf(req);
    const action = ACTIONS[String(req.params.action)];
    if (!action) return void next();
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const ref = AdminUserIdParam.safeParse(req.params);
    if (!ref.success) return page.redirect('/admin/users');
    const reason = page.form().reason?.trim();
    const body = action.path === 'disable' && reason ? { reason } : action.method === 'POST' ? {} : undefined;
    const result = await page.api(
      {
        method: action.method,
        path: `/admin/users/${encodeURIComponent(ref.data.id)}/${action.path}`,
        accessToken,
        ...(body ? { body } : {}),
      },
      z.unknown(),
    );
    await afterAction(page, ref.data.id, result.ok ? { done: action.done } : { problem: result.problem });
  });

  app.get('/admin/users/:id/delete', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const ref = AdminUserIdParam.safeParse(req.params);
    if (!ref.success) return page.redirect('/admin/users');
    const user = await accountOf(page, accessToken, ref.data.id);
    if (!user.ok) return renderAdminProblem(page, user.problem, userPath(ref.data.id));
    renderDeleteConfirmation(page, { user: user.body });
  });

  app.post('/admin/users/:id/delete', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const ref = AdminUserIdParam.safeParse(req.params);
    if (!ref.success) return page.redirect('/admin/users');
    const form = AdminDeleteBody.safeParse({ reason: page.form().reason ?? '' });
    if (!form.success) {
      const user = await accountOf(page, accessToken, ref.data.id);
      if (!user.ok) return renderAdminProblem(page, user.problem, userPath(ref.data.id));
      return renderDeleteConfirmation(page, { user: user.body, fieldError: page.t('form.required') });
    }
    const result = await page.api(
      { method: 'POST', path: `/admin/users/${encodeURIComponent(ref.data.id)}/delete`, accessToken, body: form.data },
      z.unknown(),
    );
    if (result.ok) return page.redirect('/admin/users?done=deleted');
    await afterAction(page, ref.data.id, { problem: result.problem });
  });
}

const accountOf = (page: Page, accessToken: string, id: string) =>
  page.api({ method: 'GET', path: `/admin/users/${encodeURIComponent(id)}`, accessToken }, AdminUserDetail);

/** Back to the account's page with what happened. */
async function afterAction(page: Page, id: string, outcome: { done: string } | { problem: ApiProblem }): Promise<void> {
  if ('done' in outcome) return page.redirect(userPath(id, { done: outcome.done }));
  await afterRefusal(page, outcome.problem, userPath(id));
}
