import { Router } from 'express';
import {
  AdminDataExportParams,
  DownloadDataExportBody,
  RequestDataExportBody,
  type DataExportArchive,
  type DataExportStarted,
} from '@solar/contracts';
import { authOf, requireRole, type authenticate } from '../auth/authenticate';
import { noReferrer } from '../http/no-referrer';
import { contextOf } from '../http/request-context';
import type { downloadDataExport } from './download-data-export.use-case';
import type { requestDataExport, Started, startDataExportFor } from './request-data-export.use-case';

const started = ({ exportId, deadline }: Started): DataExportStarted => ({
  exportId,
  deadline: deadline.toISOString(),
  message: 'Your data is being collected; a download link will be emailed to you.',
});

export function dataExportRoutes(deps: {
  request: ReturnType<typeof requestDataExport>;
  startFor: ReturnType<typeof startDataExportFor>;
  download: ReturnType<typeof downloadDataExport>;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.post('/users/me/export', deps.authenticate, async (req, res) => {
    const body = RequestDataExportBody.parse(req.body);
    const result = await deps.request({ userId: authOf(req).userId, password: body.password, code: body.code, context: contextOf(req) });
    res.status(202).json(started(result));
  });
  router.post('/admin/users/:id/export', deps.authenticate, requireRole('admin'), async (req, res) => {
    const { id } = AdminDataExportParams.parse(req.params);
    const result = await deps.startFor({ userId: id, adminId: authOf(req).userId, context: contextOf(req) });
    res.status(202).json(started(result));
  });
  router.post('/data-exports/download', noReferrer, async (req, res) => {
    const body = DownloadDataExportBody.parse(req.body);
    const { zip, exportId } = await deps.download({ token: body.token, context: contextOf(req) });
    res.setHeader('cache-control', 'no-store');
    const answer: DataExportArchive = {
      filename: `data-export-${exportId}.zip`,
      contentType: 'application/zip',
      archive: zip.toString('base64'),
    };
    res.json(answer);
  });
  return router;
}
