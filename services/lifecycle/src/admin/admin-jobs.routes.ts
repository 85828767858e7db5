import type { RequestHandler, Router } from 'express';
import { AdminJobIdParam, AdminJobsQuery } from '@solar/contracts';
import { adminOf } from '@solar/chassis';
import type { listJobs } from './list-jobs.use-case';
import type { retryJob } from './retry-job.use-case';

export function adminJobsRoutes(
  router: Router,
  deps: {
    listJobs: ReturnType<typeof listJobs>;
    retryJob: ReturnType<typeof retryJob>;
    requireAdmin: RequestHandler;
    /** The admin role and a sign-in within identity's ADMIN_REAUTH_WINDOW, as identity's admin actions want. */
    requireRecentAdmin: RequestHandler;
  },
): void {
  router.get('/admin/jobs', deps.requireAdmin, async (req, res) => {
    const query = AdminJobsQuery.parse(req.query);
    res.set('cache-control', 'no-store').json(await deps.listJobs(query));
  });
  router.post('/admin/jobs/:id/retry', deps.requireRecentAdmin, async (req, res) => {
    const { id } = AdminJobIdParam.parse(req.params);
    await deps.retryJob({ jobId: id, adminId: adminOf(req).userId });
    res.status(204).end();
  });
}
