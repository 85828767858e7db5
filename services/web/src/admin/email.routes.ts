import type { Express } from 'express';
import { z } from 'zod';
import {
  BounceEventPage,
  DailyReportResponse,
  EmailMetrics,
  RemoveSuppressionBody,
  SuppressionPage,
  SuppressionParams,
  SuppressionRemovalPage,
} from '@solar/contracts';
import { problemSentence } from '../api/problem-messages';
import { pageOf } from '../http/page-context';
import { adminToken, afterRefusal, problemParam, renderAdminProblem } from './admin-access';
import { renderDailyReport, renderEmailPage } from './email.page';

const SuppressionSearch = z.object({ q: z.string().trim().max(254).catch(''), cursor: z.string().max(512).optional().catch(undefined) });

/** How many recent bounces and removals the page shows. */
const RECENT = 20;

/** The UTC day before `now`: the newest one lifecycle's daily report job has counted. */
const dayBefore = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/** Email delivery (notification's counters and success windows) and lifecycle's daily reports. */
export function adminEmailRoutes(app: Express): void {
  app.get('/admin/email', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const search = SuppressionSearch.parse(req.query);
    const listed = new URLSearchParams({
      limit: String(RECENT),
      ...(search.q ? { q: search.q } : {}),
      ...(search.cursor ? { cursor: search.cursor } : {}),
    });
    const [metrics, suppressions, bounces, removals] = await Promise.all([
      page.api({ method: 'GET', path: '/admin/email/metrics', accessToken }, EmailMetrics),
      page.api({ method: 'GET', path: `/admin/email/suppressions?${listed.toString()}`, accessToken }, SuppressionPage),
      page.api({ method: 'GET', path: `/admin/email/bounces?limit=${RECENT}`, accessToken }, BounceEventPage),
      page.api({ method: 'GET', path: `/admin/email/suppression-removals?limit=${RECENT}`, accessToken }, SuppressionRemovalPage),
    ]);
    if (!metrics.ok || !suppressions.ok || !bounces.ok || !removals.ok) {
      const refused = [metrics, suppressions, bounces, removals].find((answer) => !answer.ok);
      if (refused && !refused.ok) await renderAdminProblem(page, refused.problem, '/admin/email');
      return;
    }
    const problem = problemParam(req.query.problem);
    renderEmailPage(page, {
      metrics: metrics.body,
      q: search.q,
      suppressions: suppressions.body,
      bounces: bounces.body,
      removals: removals.body,
      info: req.query.done === 'suppression-removed' ? page.t('admin.done.suppression-removed') : undefined,
      error: problem ? problemSentence(problem, page.t) : undefined,
    });
  });

  // A form POST (works without script): a stale sign-in is sent to sign in again and brought back here.
  app.post('/admin/email/suppressions/remove', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const form = page.form();
    const address = SuppressionParams.safeParse({ address: form.address ?? '' });
    const body = RemoveSuppressionBody.safeParse({ reason: form.reason ?? '' });
    if (!address.success || !body.success) return page.redirect('/admin/email?problem=validation_failed');
    const result = await page.api(
      {
        method: 'POST',
        path: `/admin/email/suppressions/${encodeURIComponent(address.data.address)}/remove`,
        accessToken,
        body: body.data,
      },
      z.unknown(),
    );
    if (result.ok) return page.redirect('/admin/email?done=suppression-removed');
    await afterRefusal(page, result.problem, '/admin/email');
  });

  app.get('/admin/reports', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const typed = z.iso.date().safeParse(req.query.date);
    const date = typed.success ? typed.data : dayBefore(page.deps.clock());
    const report = await page.api({ method: 'GET', path: `/admin/reports/daily?date=${date}`, accessToken }, DailyReportResponse);
    if (report.ok) return renderDailyReport(page, { date, report: report.body });
    // Not counted (yet): the page says so beside the day's form.
    if (report.problem.code === 'not_found' || report.problem.code === 'validation_failed') {
      return renderDailyReport(page, { date, report: null, error: problemSentence(report.problem, page.t), status: report.status });
    }
    await renderAdminProblem(page, report.problem, '/admin/reports');
  });
}
