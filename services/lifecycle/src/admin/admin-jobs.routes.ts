import type { RequestHandler, Router } from 'express';
import { AdminJobsQuery } from '@solar/contracts';
import type { listJobs } from './list-jobs.use-case';

export function adminJobsRoutes(router: Router, deps: { listJobs: ReturnType<typeof listJobs>; requireAdmin: RequestHandler }): void {
  router.get('/admin/jobs', deps.requireAdmin, async (req, res) => {
    const query = AdminJobsQuery.parse(req.query);
    res.set('cache-control', 'no-store').json(await deps.listJobs(query));
  });
}
