import type { RequestHandler, Router } from 'express';
import { adminOf } from '@solar/chassis';
import {
  PageQuery,
  RemoveSuppressionBody,
  SuppressionParams,
  SuppressionQuery,
  type BounceEventPage,
  type SuppressionPage,
  type SuppressionRemovalPage,
} from '@solar/contracts';
import type { ManageSuppressions } from './manage-suppressions.use-case';

/** Admin only; taking an address off the list also wants a recent sign-in, as identity's admin actions do. */
export function suppressionsRoutes(
  router: Router,
  deps: { manage: ManageSuppressions; requireAdmin: RequestHandler; requireAdminRecentSignIn: RequestHandler },
): void {
  const { manage } = deps;
  router.get('/admin/email/suppressions', deps.requireAdmin, async (req, res) => {
    const { q, cursor, limit } = SuppressionQuery.parse(req.query);
    const page = await manage.listSuppressions({ contains: q || undefined, cursor, limit });
    res.set('cache-control', 'no-store').json({
      items: page.items.map((s) => ({
        address: s.address,
        reason: s.reason,
        source: s.source,
        since: s.since.toISOString(),
        lastEvent: s.lastEvent && { ...s.lastEvent, at: s.lastEvent.at.toISOString() },
      })),
      nextCursor: page.nextCursor,
    } satisfies SuppressionPage);
  });
  router.get('/admin/email/bounces', deps.requireAdmin, async (req, res) => {
    const page = await manage.listBounceEvents(PageQuery.parse(req.query));
    res.set('cache-control', 'no-store').json({
      items: page.items.map((e) => ({
        provider: e.provider,
        kind: e.kind,
        address: e.address,
        at: e.at.toISOString(),
        receivedAt: e.receivedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    } satisfies BounceEventPage);
  });
  router.get('/admin/email/suppression-removals', deps.requireAdmin, async (req, res) => {
    const page = await manage.listRemovals(PageQuery.parse(req.query));
    res.set('cache-control', 'no-store').json({
      items: page.items.map((r) => ({
        address: r.address,
        reason: r.reason,
        source: r.source,
        suppressedAt: r.suppressedAt.toISOString(),
        removedBy: r.removedBy,
        note: r.note,
        removedAt: r.removedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    } satisfies SuppressionRemovalPage);
  });
  router.post('/admin/email/suppressions/:address/remove', deps.requireAdminRecentSignIn, async (req, res) => {
    const { address } = SuppressionParams.parse(req.params);
    const { reason } = RemoveSuppressionBody.parse(req.body);
    await manage.remove({ address, removedBy: adminOf(req).userId, note: reason });
    res.status(204).end();
  });
}
