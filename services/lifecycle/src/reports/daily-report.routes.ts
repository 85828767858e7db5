import type { RequestHandler, Router } from 'express';
import { DailyReportQuery, type DailyReportResponse } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { ReportRepository } from './report.repository';

export function dailyReportRoutes(router: Router, deps: { reports: ReportRepository; requireAdmin: RequestHandler }): void {
  router.get('/admin/reports/daily', deps.requireAdmin, async (req, res) => {
    const { date } = DailyReportQuery.parse(req.query);
    const report = await deps.reports.find(date);
    if (!report) throw new AppError('not_found', `No report for ${date} yet: a day is reported after it ends`);
    const body: DailyReportResponse = { date: report._id, counts: report.counts, generatedAt: report.generatedAt.toISOString() };
    res.set('cache-control', 'no-store').json(body);
  });
}
