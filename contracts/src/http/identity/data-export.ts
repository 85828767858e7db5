import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

/*
 * Self-service data export (GDPR articles 15 and 20): `POST /users/me/export` starts one, the admin
 * route starts one for a user, and the emailed single-use link downloads the archive.
 */

// The password is checked, not policed; the cap bounds the argon2 work. The code is asked when two-factor is on.
export const RequestDataExportBody = z
  .object({
    password: z.string().min(1).max(1024),
    code: z
      .string()
      .regex(/^\d{6}$/)
      .optional()
      .describe('A current code from the authenticator app; required when two-factor is on.'),
  })
  .strict();
export type RequestDataExportBody = z.output<typeof RequestDataExportBody>;

export const DataExportStarted = z.object({
  exportId: z.uuid(),
  deadline: IsoTime.describe('The archive is ready before then, or the export fails and the owner may ask again the next day.'),
  message: z.string(),
});
export type DataExportStarted = z.output<typeof DataExportStarted>;

export const AdminDataExportParams = z.object({ id: z.string().min(1).max(128) });

export const DownloadDataExportBody = z.object({ token: z.string().min(20).max(200) }).strict();
export type DownloadDataExportBody = z.output<typeof DownloadDataExportBody>;

export const DataExportArchive = z.object({
  filename: z.string(),
  contentType: z.literal('application/zip'),
  archive: z.string().describe('The zip archive, base64: one JSON file per service and a README.md describing the fields.'),
});
export type DataExportArchive = z.output<typeof DataExportArchive>;

export const dataExportOperations = defineOperations([
  {
    operationId: 'requestDataExport',
    method: 'post',
    path: '/users/me/export',
    service: 'identity',
    summary: 'Ask for a copy of everything the platform holds about the account',
    description:
      'The password is asked again, and a current code when two-factor is on; wrong ones count towards the sign-in lock. ' +
      'Every service sends its part; once all are in, the owner is emailed a link that downloads the archive once, ' +
      'within 24 hours. At most one export a day: 429 `export_limit_reached` with Retry-After otherwise.',
    tags: ['users'],
    security: 'bearer',
    body: { json: RequestDataExportBody },
    responses: { 202: { description: 'Started: DataExportRequested is published.', body: DataExportStarted } },
    errors: ['validation_failed', 'invalid_credentials', 'invalid_code', 'account_locked', 'captcha_required', 'export_limit_reached'],
  },
  {
    operationId: 'startUserDataExport',
    method: 'post',
    path: '/admin/users/{id}/export',
    service: 'identity',
    summary: "Start a data export for a user (their request through support); the link goes to the user's address",
    tags: ['admin'],
    security: 'admin',
    params: AdminDataExportParams,
    responses: { 202: { description: 'Started and audited.', body: DataExportStarted } },
    errors: ['not_found', 'export_limit_reached'],
  },
  {
    operationId: 'downloadDataExport',
    method: 'post',
    path: '/data-exports/download',
    service: 'identity',
    summary: "Download a data export's archive with the token from the emailed link, once",
    description: 'The token is spent by the first download; 400 `token_used` after, `token_expired` after 24 hours.',
    tags: ['users'],
    security: 'none',
    body: { json: DownloadDataExportBody },
    responses: { 200: { description: 'The archive, base64.', body: DataExportArchive } },
    errors: ['token_invalid', 'token_expired', 'token_used'],
  },
]);
