import { z } from 'zod';
import { DailyReportCounts } from '../../lifecycle/daily-report-generated.v1';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

const Instant = IsoTime.nullable();

/** One Agenda job as `GET /admin/jobs` shows it: schedule and health, never the job's data (user ids). */
export const AdminJob = z.object({
  id: z.string(),
  name: z.string().describe('Job name, e.g. deletion-grace-period-expired or daily-report.'),
  state: z.enum(['running', 'scheduled', 'queued', 'repeating', 'failed', 'completed', 'paused']),
  schedule: z.string().nullable().describe('Cron expression of a recurring job; null for a one-time job.'),
  nextRunAt: Instant,
  lastRunAt: Instant,
  lastFinishedAt: Instant,
  failures: z.number().int().min(0).describe('Failed runs so far (Agenda failCount).'),
  failedAt: Instant,
  lastError: z.string().nullable().describe('Message of the last failure, truncated; carries no personal data.'),
  retriedBy: z.string().nullable().describe('The admin who last retried the job by hand (user id); null if none did.'),
  retriedAt: Instant,
});
export type AdminJob = z.output<typeof AdminJob>;

export const AdminJobIdParam = z.object({
  id: z
    .string()
    .regex(/^[0-9a-f]{24}$/, 'must be a job id as listed by GET /admin/jobs')
    .describe('The job’s id, as `GET /admin/jobs` lists it.'),
});

export const AdminJobsQuery = z.object({
  state: z.enum(['upcoming', 'running', 'failed']).optional().describe('Upcoming = scheduled, queued or repeating. All three when absent.'),
  name: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AdminJobsResponse = z.object({
  summary: z.array(
    z.object({
      name: z.string(),
      upcoming: z.number().int(),
      running: z.number().int(),
      failed: z.number().int(),
      completed: z.number().int(),
    }),
  ),
  upcoming: z.array(AdminJob).optional(),
  running: z.array(AdminJob).optional(),
  failed: z.array(AdminJob).optional(),
});
export type AdminJobsResponse = z.output<typeof AdminJobsResponse>;

export const DailyReportQuery = z.object({
  date: z.iso.date().describe('The UTC day, YYYY-MM-DD.'),
});

export const DailyReportResponse = z.object({
  date: z.iso.date(),
  counts: DailyReportCounts,
  generatedAt: IsoTime,
});
export type DailyReportResponse = z.output<typeof DailyReportResponse>;

export const lifecycleAdminOperations = defineOperations([
  {
    operationId: 'listJobs',
    method: 'get',
    path: '/admin/jobs',
    service: 'lifecycle',
    summary: 'Upcoming, running and failed jobs',
    description: "Per-name totals, and each job's schedule, last run, failures and last error; never a job's data.",
    tags: ['admin'],
    security: 'admin',
    query: AdminJobsQuery,
    responses: { 200: { description: 'The jobs, by state.', body: AdminJobsResponse } },
    errors: ['service_unavailable'],
  },
  {
    operationId: 'retryJob',
    method: 'post',
    path: '/admin/jobs/{id}/retry',
    service: 'lifecycle',
    summary: 'Run a failed job again now',
    description:
      'Clears the failure and queues the job to run at once, with a fresh round of automatic retries; the job records the admin and the time. Only a failed job: any other answers 409 `job_not_failed`. Wants a sign-in of the admin within ADMIN_REAUTH_WINDOW, else 403 `reauthentication_required`.',
    tags: ['admin'],
    security: 'admin',
    params: AdminJobIdParam,
    responses: { 204: { description: 'Queued to run now.' } },
    errors: ['reauthentication_required', 'not_found', 'job_not_failed', 'service_unavailable'],
  },
  {
    operationId: 'getDailyReport',
    method: 'get',
    path: '/admin/reports/daily',
    service: 'lifecycle',
    summary: 'The daily report of one UTC day',
    description: 'Registrations, verifications, deletions and emails sent and failed, counted from the events of that day.',
    tags: ['admin'],
    security: 'admin',
    query: DailyReportQuery,
    responses: { 200: { description: "The day's report.", body: DailyReportResponse } },
    errors: ['not_found', 'service_unavailable'],
  },
]);
