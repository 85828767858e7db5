import type { Express } from 'express';
import { z } from 'zod';
import { Message } from '@solar/contracts';
import { fieldErrors, problemSentence } from '../api/problem-messages';
import { renderApiProblem, signedIn } from '../account/signed-in';
import { linkPageRoutes } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderConfirmEmailChange, renderEmailChanged, renderEmailChangeForm, renderUndoEmailChange } from './email-change.page';

const EmailChangeForm = z.object({ newEmail: z.string().default(''), password: z.string().default(''), code: z.string().default('') });

/**
 * The account page's form that asks for a new address (`/account/email`), the link sent to the new
 * address (`/confirm-email-change?token=`) and the undo link sent to the old one (`/undo-email-change?token=`).
 */
export function emailChangeRoutes(app: Express): void {
  app.get('/account/email', async (req) => {
    const page = pageOf(req);
    if (await signedIn(page)) renderEmailChangeForm(page);
  });
  app.post('/account/email', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = EmailChangeForm.parse(page.form());
    const newEmail = form.newEmail.trim();
    const missing = {
      ...(newEmail ? {} : { newEmail: page.t('form.required') }),
      ...(form.password ? {} : { password: page.t('form.required') }),
    };
    if (Object.keys(missing).length > 0) return renderEmailChangeForm(page, { newEmail, fieldErrors: missing, status: 400 });
    const body = { newEmail, password: form.password, ...(form.code.trim() ? { code: form.code.trim() } : {}) };
    const result = await page.api({ method: 'POST', path: '/auth/request-email-change', accessToken, body }, Message);
    if (result.ok) return page.redirect('/account?done=email-change-requested');
    const view = { newEmail, status: result.status };
    switch (result.problem.code) {
      case 'unauthorized':
        return renderApiProblem(page, result.problem);
      case 'invalid_credentials':
        return renderEmailChangeForm(page, { ...view, fieldErrors: { password: page.t('password.currentWrong') } });
      case 'invalid_code':
        return renderEmailChangeForm(page, { ...view, fieldErrors: { code: page.t('emailChange.codeWrong') } });
      case 'validation_failed':
        return renderEmailChangeForm(page, { ...view, fieldErrors: fieldErrors(result.problem, page.t) });
      default:
        return renderEmailChangeForm(page, { ...view, error: problemSentence(result.problem, page.t) });
    }
  });

  linkPageRoutes(app, {
    path: '/confirm-email-change',
    next: { text: 'emailChange.next', href: '/account/email', label: 'emailChange.again' },
    renderForm: renderConfirmEmailChange,
    spend: (page, token) => page.api({ method: 'POST', path: '/auth/confirm-email-change', body: { token } }, Message),
    done: renderEmailChanged,
  });

  linkPageRoutes(app, {
    path: '/undo-email-change',
    next: { text: 'emailChange.undoNext', href: '/forgot-password', label: 'forgot.again' },
    renderForm: renderUndoEmailChange,
    spend: (page, token) => page.api({ method: 'POST', path: '/auth/undo-email-change', body: { token } }, Message),
    done: (page) => {
      // The undo ended every session of the account, this browser's included.
      page.saveSession(page.deps.sessions.renewed(page.session, {}));
      page.redirect('/login?done=email-restored');
    },
  });
}
