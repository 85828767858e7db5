import { Router } from 'express';
import { AdminAuditQuery, PageQuery, type AdminAuditPage, type AuditPage } from '@solar/contracts';
import { authOf, requireRole, type authenticate } from '../auth/authenticate';
import type { AuditEntryView } from './audit-log.query';
import type { listAuditLog } from './list-audit-log.use-case';

const ownEntry = (entry: AuditEntryView): AuditPage['items'][number] => ({
  id: entry.id,
  action: entry.action,
  outcome: entry.outcome,
  ip: entry.ip,
  userAgent: entry.userAgent,
  at: entry.at.toISOString(),
  details: entry.details,
});

export function auditRoutes(deps: { list: ReturnType<typeof listAuditLog>; authenticate: ReturnType<typeof authenticate> }): Router {
  const router = Router();
  router.get('/users/me/audit-log', deps.authenticate, async (req, res) => {
    const { cursor, limit } = PageQuery.parse(req.query);
    const page = await deps.list({ filter: { userId: authOf(req).userId }, cursor, limit });
    res.json({ items: page.items.map(ownEntry), nextCursor: page.nextCursor } satisfies AuditPage);
  });
  router.get('/admin/audit-log', deps.authenticate, requireRole('admin'), async (req, res) => {
    const { cursor, limit, ...filter } = AdminAuditQuery.parse(req.query);
    const page = await deps.list({ filter, cursor, limit });
    res.json({
      items: page.items.map((entry) => ({ ...ownEntry(entry), userId: entry.userId })),
      nextCursor: page.nextCursor,
    } satisfies AdminAuditPage);
  });
  return router;
}
