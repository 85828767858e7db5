import type { Express } from 'express';
import { z } from 'zod';
import { DataExportArchive, DataExportStarted, TwoFactorStatus } from '@solar/contracts';
import { fieldErrors, problemSentence } from '../api/problem-messages';
import { renderApiProblem, signedIn } from '../account/signed-in';
import { linkPageRoutes } from '../email-links/link-token';
import { pageOf, type Page } from '../http/page-context';
import { renderDataExportForm, renderDownloadPage } from './data-export.page';

const DataExportForm = z.object({ password: z.string().default(''), code: z.string().default('') });

/** Whether the form asks for a code; when the API cannot say, it asks (a code left empty is refused with its sentence). */
async function twoFactorOn(page: Page, accessToken: string): Promise<boolean> {
  const status = await page.api({ method: 'GET', path: '/auth/2fa', accessToken }, TwoFactorStatus);
  return status.ok ? status.body.enabled : true;
}

/**
 * Asking for a copy of one's data (the account page's section, and `/account/data-export` showing its
 * problems), and the emailed link's page (`/data-export?token=`) whose button answers with the zip.
 */
export function dataExportRoutes(app: Express): void {
  app.get('/account/data-export', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (accessToken) renderDataExportForm(page, await twoFactorOn(page, accessToken));
  });
  app.post('/account/data-export', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = DataExportForm.parse(page.form());
    const code = form.code.trim();
    const withTwoFactor = code !== '' || (await twoFactorOn(page, accessToken));
    if (!form.password) {
      return renderDataExportForm(page, withTwoFactor, { fieldErrors: { password: page.t('form.required') }, status: 400 });
    }
    const body = { password: form.password, ...(code ? { code } : {}) };
    const result = await page.api({ method: 'POST', path: '/users/me/export', accessToken, body }, DataExportStarted);
    if (result.ok) return page.redirect('/account?done=data-export-requested');
    const view = { status: result.status };
    switch (result.problem.code) {
      case 'unauthorized':
        return renderApiProblem(page, result.problem);
      case 'invalid_credentials':
        return renderDataExportForm(page, withTwoFactor, { ...view, fieldErrors: { password: page.t('password.currentWrong') } });
      case 'invalid_code':
        return renderDataExportForm(page, true, { ...view, fieldErrors: { code: page.t('dataExport.codeWrong') } });
      case 'validation_failed':
        return renderDataExportForm(page, withTwoFactor, { ...view, fieldErrors: fieldErrors(result.problem, page.t) });
      default:
        return renderDataExportForm(page, withTwoFactor, { ...view, error: problemSentence(result.problem, page.t) });
    }
  });

  linkPageRoutes(app, {
    path: '/data-export',
    next: { text: 'dataExport.next', href: '/account/data-export', label: 'dataExport.again' },
    renderForm: renderDownloadPage,
    spend: (page, token) => page.api({ method: 'POST', path: '/data-exports/download', body: { token } }, DataExportArchive),
    done: (page, archive) => {
      // The archive is the person's data: never kept by a cache, saved by the browser under its own name.
      page.res
        .status(200)
        .attachment(archive.filename)
        .type(archive.contentType)
        .set('cache-control', 'no-store')
        .send(Buffer.from(archive.archive, 'base64'));
    },
  });
}
