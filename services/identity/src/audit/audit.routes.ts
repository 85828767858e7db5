import { Router } from 'express';
import { z } from 'zod';
import { authOf, requireRole, type authenticate } from '../auth/authenticate';
import { PageQuery } from '../http/cursor';
import { AUDIT_ACTIONS } from './audit-entry.model';
import type { AuditEntryView } from './audit-log.query';
import type { listAuditLog } from './list-audit-log.use-case';

const AdminAuditQuery = PageQuery.extend({
  userId: z.string().min(1).max(128).optional(),
  action: z.enum(AUDIT_ACTIONS).optional(),
  from: z.iso
    .datetime({ offset: true })
    .transform((text) => new Date(text))
    .optional(),
  to: z.iso
    .datetime({ offset: true })
    .transform((text) => new Date(text))
    .optional(),
}).refine((query) => !query.from || !query.to || query.from <= query.to, { path: ['from'], message: 'must not be after to' });

const ownEntry = (entry: AuditEntryView) => ({
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
    res.json({ items: page.items.map(ownEntry), nextCursor: page.nextCursor });
  });
  router.get('/admin/audit-log', deps.authenticate, requireRole('admin'), async (req, res) => {
    const { cursor, limit, ...filter } = AdminAuditQuery.parse(req.query);
    const page = await deps.list({ filter, cursor, limit });
    res.json({ items: page.items.map((entry) => ({ ...ownEntry(entry), userId: entry.userId })), nextCursor: page.nextCursor });
  });
  return router;
}
