import type { Express } from 'express';
import { Message } from '@solar/contracts';
import { fieldErrors } from '../api/problem-messages';
import { linkToken, moveTokenOutOfUrl, problemNotice, renderLinkProblem, type NextStep } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderForgotPassword, renderResetLinkSent, renderResetPassword } from './password-reset.page';

const PATH = '/reset-password';
const NEXT: NextStep = { text: 'reset.next', href: '/forgot-password', label: 'forgot.again' };

/** Asking for a reset link (`/forgot-password`) and the emailed link's page (`/reset-password?token=`). */
export function passwordResetRoutes(app: Express): void {
  app.get('/forgot-password', (req) => renderForgotPassword(pageOf(req)));
  app.post('/forgot-password', async (req) => {
    const page = pageOf(req);
    const email = (page.form().email ?? '').trim();
    if (!email) {
      renderForgotPassword(page, { fieldErrors: { email: page.t('form.required') }, status: 400 });
      return;
    }
    const result = await page.api({ method: 'POST', path: '/auth/request-password-reset', body: { email } }, Message);
    if (result.ok) {
      renderResetLinkSent(page, email);
      return;
    }
    renderForgotPassword(page, {
      email,
      error: problemNotice(page, result.problem),
      fieldErrors: fieldErrors(result.problem, page.t),
      status: result.status,
    });
  });

  moveTokenOutOfUrl(app, PATH);
  app.get(PATH, (req) => renderResetPassword(pageOf(req)));
  app.post(PATH, async (req) => {
    const page = pageOf(req);
    const token = linkToken(page, PATH);
    if (!token) {
      renderLinkProblem(page, PATH, 'missing', NEXT);
      return;
    }
    const newPassword = page.form().newPassword ?? '';
    if (!newPassword) {
      renderResetPassword(page, { fieldErrors: { newPassword: page.t('form.required') }, status: 400 });
      return;
    }
    const result = await page.api({ method: 'POST', path: '/auth/reset-password', body: { token, newPassword } }, Message);
    if (result.ok) {
      page.deps.links.clear(page.res, PATH);
      // The reset ended every session of the account, this browser's included.
      page.saveSession(page.deps.sessions.renewed(page.session, {}));
      page.redirect('/login?done=password-changed');
      return;
    }
    // The policy's refusal keeps the link's token for the next try; a token problem has its own page.
    const errors = fieldErrors(result.problem, page.t);
    if (result.problem.code === 'validation_failed' && errors.newPassword) {
      renderResetPassword(page, { fieldErrors: { newPassword: errors.newPassword }, status: result.status });
      return;
    }
    if (renderLinkProblem(page, PATH, result.problem, NEXT)) return;
    renderResetPassword(page, { error: problemNotice(page, result.problem), status: result.status });
  });
}
