import type { Express } from 'express';
import { z } from 'zod';
import {
  AppAccessParams,
  DisplayName,
  Message,
  Profile,
  RequestDeletionResponse,
  SessionParams,
  SUPPORTED_LOCALES,
} from '@solar/contracts';
import { fieldErrors, hasFieldErrors, problemSentence } from '../api/problem-messages';
import { pageOf, type Page } from '../http/page-context';
import { rememberLanguage } from '../i18n/locale';
import { renderDeletionForm, renderPasswordForm, renderProfileForm } from './account-forms.page';
import { renderApiProblem, signedIn } from './signed-in';

const ProfileForm = z.object({ displayName: z.string().default(''), locale: z.enum(SUPPORTED_LOCALES) });
const PasswordForm = z.object({ currentPassword: z.string().default(''), newPassword: z.string().default('') });
const DeletionForm = z.object({ password: z.string().default('') });
const RevokeForm = z.object({ session: SessionParams.shape.id });

/** The account page's forms: name and language, password, deletion, and ending another device's session. */
export function accountFormRoutes(app: Express): void {
  app.get('/account/profile', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const profile = await page.api({ method: 'GET', path: '/users/me', accessToken }, Profile);
    if (!profile.ok) return renderApiProblem(page, profile.problem);
    renderProfileForm(page, { displayName: profile.body.displayName ?? '', locale: profile.body.locale });
  });
  app.post('/account/profile', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = ProfileForm.safeParse(page.form());
    if (!form.success) return page.redirect('/account/profile');
    const typed = form.data.displayName.trim();
    const nameError = typed ? displayNameError(page, typed) : undefined;
    if (nameError) {
      renderProfileForm(page, form.data, { fieldErrors: { displayName: nameError }, status: 400 });
      return;
    }
    const current = await page.api({ method: 'GET', path: '/users/me', accessToken }, Profile);
    if (!current.ok) return renderApiProblem(page, current.problem);
    // Only what changed: the API audits each field it is sent.
    const displayName = typed || null;
    const changes = {
      ...(displayName !== current.body.displayName ? { displayName } : {}),
      ...(form.data.locale !== current.body.locale ? { locale: form.data.locale } : {}),
    };
    if (Object.keys(changes).length > 0) {
      const result = await page.api({ method: 'PATCH', path: '/users/me', accessToken, body: changes }, Profile);
      if (!result.ok) {
        if (result.problem.code !== 'validation_failed') return renderApiProblem(page, result.problem);
        const errors = fieldErrors(result.problem, page.t);
        renderProfileForm(page, form.data, { error: problemSentence(result.problem, page.t), fieldErrors: errors, status: result.status });
        return;
      }
    }
    // The account's language becomes this browser's page language too, from the very next page.
    if (changes.locale) rememberLanguage(page.res, changes.locale, page.deps.secure);
    page.redirect('/account?done=profile-saved');
  });

  app.get('/account/password', async (req) => {
    const page = pageOf(req);
    if (await signedIn(page)) renderPasswordForm(page);
  });
  app.post('/account/password', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = PasswordForm.parse(page.form());
    const missing = required(page, form);
    if (missing) return renderPasswordForm(page, { fieldErrors: missing, status: 400 });
    const result = await page.api({ method: 'POST', path: '/auth/change-password', accessToken, body: form }, Message);
    if (result.ok) return page.redirect('/account?done=password-changed');
    if (result.problem.code === 'invalid_credentials') {
      renderPasswordForm(page, { fieldErrors: { currentPassword: page.t('password.currentWrong') }, status: result.status });
      return;
    }
    if (hasFieldErrors(result.problem)) {
      renderPasswordForm(page, { fieldErrors: fieldErrors(result.problem, page.t), status: result.status });
      return;
    }
    if (result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
    renderPasswordForm(page, { error: problemSentence(result.problem, page.t), status: result.status });
  });

  app.get('/account/delete', async (req) => {
    const page = pageOf(req);
    if (await signedIn(page)) renderDeletionForm(page);
  });
  app.post('/account/delete', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = DeletionForm.parse(page.form());
    const missing = required(page, form);
    if (missing) return renderDeletionForm(page, { fieldErrors: missing, status: 400 });
    const result = await page.api({ method: 'POST', path: '/auth/request-deletion', accessToken, body: form }, RequestDeletionResponse);
    // The account page shows the date it takes effect, from the profile's pending deletion.
    if (result.ok) return page.redirect('/account?done=deletion-requested');
    if (result.problem.code === 'invalid_credentials') {
      renderDeletionForm(page, { fieldErrors: { password: page.t('deletion.wrongPassword') }, status: result.status });
      return;
    }
    if (result.problem.code === 'unauthorized') return renderApiProblem(page, result.problem);
    renderDeletionForm(page, { error: problemSentence(result.problem, page.t), status: result.status });
  });

  app.post('/account/sessions/revoke', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = RevokeForm.safeParse(page.form());
    if (!form.success) return page.redirect('/account');
    const result = await page.api(
      { method: 'DELETE', path: `/users/me/sessions/${encodeURIComponent(form.data.session)}`, accessToken },
      z.unknown(),
    );
    // Gone already (ended elsewhere, or expired) is what was asked for.
    if (result.ok || result.problem.code === 'not_found') return page.redirect('/account?done=session-revoked');
    renderApiProblem(page, result.problem);
  });

  app.post('/account/apps/revoke', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const form = AppAccessParams.safeParse({ clientId: page.form().app });
    if (!form.success) return page.redirect('/account');
    const result = await page.api({ method: 'DELETE', path: `/users/me/apps/${form.data.clientId}`, accessToken }, z.unknown());
    if (result.ok || result.problem.code === 'not_found') return page.redirect('/account?done=app-revoked');
    renderApiProblem(page, result.problem);
  });
}

/** "Fill in this field" for each empty one, or nothing when all are there. */
function required(page: Page, form: Record<string, string>): Record<string, string> | undefined {
  const missing = Object.fromEntries(
    Object.entries(form)
      .filter(([, value]) => !value)
      .map(([name]) => [name, page.t('form.required')]),
  );
  return Object.keys(missing).length > 0 ? missing : undefined;
}

/** The contract's own rule for a name, in the page's words; the API checks it again. */
function displayNameError(page: Page, name: string): string | undefined {
  if (DisplayName.safeParse(name).success) return undefined;
  return [...name].length > 100 ? page.t('account.nameTooLong') : page.t('account.nameInvalid');
}
