import type { Express } from 'express';
import { z } from 'zod';
import { DailyReportResponse, EmailMetrics } from '@solar/contracts';
import { problemSentence } from '../api/problem-messages';
import { pageOf } from '../http/page-context';
import { adminToken, renderAdminProblem } from './admin-access';
import { renderDailyReport, renderEmailMetrics } from './email.page';

/** The UTC day before `now`: the newest one lifecycle's daily report job has counted. */
const dayBefore = (now: Date) => new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);

/** Email delivery (notification's counters and success windows) and lifecycle's daily reports. */
export function adminEmailRoutes(app: Express): void {
  app.get('/admin/email', async (req) => {
    const page = pageOf(req);
    const accessToken = await adminToken(page);
    if (!accessToken) return;
    const metrics = await page.api({ method: 'GET', path: '/admin/email/metrics', accessToken }, EmailMetrics);
    if (!metrics.ok) return renderAdminProblem(page, metrics.problem, '/admin/email');
    renderEmailMetrics(page, metrics.body);
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
