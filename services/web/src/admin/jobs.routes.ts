import type { Express } from 'express';
import { z } from 'zod';
import { AdminJobIdParam, AdminJobsResponse } from '@solar/contracts';
import { problemSentence } from '../api/problem-messages';
import { pageOf } from '../http/page-context';
import { adminToken, afterRefusal, problemParam, renderAdminProblem } from './admin-access';
import { renderJobs } from './jobs.page';

/** Lifecycle's jobs: totals by name, then the upcoming, running and failed ones, each failed one with Retry. */
export function adminJobsRoutes(app: Express): void {
  app.get('/admin/jobs', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const jobs = await page.api({ method: 'GET', path: '/admin/jobs?limit=50', accessToken }, AdminJobsResponse);
    if (!jobs.ok) return renderAdminProblem(page, jobs.problem, '/admin/jobs');
    const problem = problemParam(req.query.problem);
    renderJobs(page, {
      jobs: jobs.body,
      info: req.query.done === 'job-retried' ? page.t('admin.done.job-retried') : undefined,
      error: problem ? problemSentence(problem, page.t) : undefined,
    });
  });

  app.post('/admin/jobs/:id/retry', async (req, _res, next) => {
    const page = pageOf(req);
    const id = AdminJobIdParam.safeParse({ id: req.params.id });
    if (!id.success) return void next();
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const result = await page.api({ method: 'POST', path: `/admin/jobs/${id.data.id}/retry`, accessToken }, z.unknown());
    if (result.ok) return page.redirect('/admin/jobs?done=job-retried');
    // Retried already, in another tab or by another admin (409), or gone: the list shows why, as it is now.
    await afterRefusal(page, result.problem, '/admin/jobs');
  });
}
