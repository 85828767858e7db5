import type { Express } from 'express';
import { Message } from '@solar/contracts';
import { fieldErrors, hasFieldErrors } from '../api/problem-messages';
import { linkPageRoutes, problemNotice } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderForgotPassword, renderResetLinkSent, renderResetPassword } from './password-reset.page';

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

  linkPageRoutes(app, {
    path: '/reset-password',
    next: { text: 'reset.next', href: '/forgot-password', label: 'forgot.again' },
    renderForm: renderResetPassword,
    spend: async (page, token) => {
      const newPassword = page.form().newPassword ?? '';
      if (newPassword) return page.api({ method: 'POST', path: '/auth/reset-password', body: { token, newPassword } }, Message);
      renderResetPassword(page, { fieldErrors: { newPassword: page.t('form.required') }, status: 400 });
      return undefined;
    },
    done: (page) => {
      // The reset ended every session of the account, this browser's included.
      page.saveSession(page.deps.sessions.renewed(page.session, {}));
      page.redirect('/login?done=password-changed');
    },
    // The policy's refusal keeps the link's token for the next try; a token problem has its own page.
    onProblem: (page, result) => {
      const errors = fieldErrors(result.problem, page.t);
      if (!hasFieldErrors(result.problem) || !errors.newPassword) return false;
      renderResetPassword(page, { fieldErrors: { newPassword: errors.newPassword }, status: result.status });
      return true;
    },
  });
}
