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

const DAY_MS = 86_400_000;

/** The UTC day before `now`: the newest one lifecycle's daily report job has counted. */
const dayBefore = (now: Date) => new Date(now.getTime() - DAY_MS).toISOString().slice(0, 10);

/** How many days the chart shows, ending with the day asked for. */
const CHART_DAYS = 14;

/** The `count` UTC days that end with `date`, oldest first. */
const daysEndingAt = (date: string, count: number) =>
  Array.from({ length: count }, (_, i) => new Date(Date.parse(date) - (count - 1 - i) * DAY_MS).toISOString().slice(0, 10));

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
    const reportOf = (day: string) =>
      page.api({ method: 'GET', path: `/admin/reports/daily?date=${day}`, accessToken }, DailyReportResponse);
    const report = await reportOf(date);
    if (report.ok) {
      // The days before it, for the chart: a day not counted is a gap, not a refusal of the page.
      const earlier = daysEndingAt(date, CHART_DAYS).slice(0, -1);
      const history = await Promise.all(earlier.map(async (day) => ({ day, report: await reportOf(day) })));
      const days = [
        ...history.map(({ day, report }) => ({ day, counts: report.ok ? report.body.counts : null })),
        { day: date, counts: report.body.counts },
      ];
      return renderDailyReport(page, { date, report: report.body, days });
    }
    // Not counted (yet): the page says so beside the day's form.
    if (report.problem.code === 'not_found' || report.problem.code === 'validation_failed') {
      return renderDailyReport(page, { date, report: null, error: problemSentence(report.problem, page.t), status: report.status });
    }
    await renderAdminProblem(page, report.problem, '/admin/reports');
  });
}
