import type { Express } from 'express';
import { AdminJobsResponse } from '@solar/contracts';
import { pageOf } from '../http/page-context';
import { adminToken, renderAdminProblem } from './admin-access';
import { renderJobs } from './jobs.page';

/** Lifecycle's jobs: totals by name, then the upcoming, running and failed ones. */
export function adminJobsRoutes(app: Express): void {
  app.get('/admin/jobs', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const jobs = await page.api({ method: 'GET', path: '/admin/jobs?limit=50', accessToken }, AdminJobsResponse);
    if (!jobs.ok) return renderAdminProblem(page, jobs.problem, '/admin/jobs');
    renderJobs(page, jobs.body);
  });
}
