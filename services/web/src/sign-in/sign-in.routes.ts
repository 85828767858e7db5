import type { Express } from 'express';
import { z } from 'zod';
import { Message, MfaRequiredResponse, TokenResponse } from '@solar/contracts';
import { fieldErrors, problemSentence } from '../api/problem-messages';
import { pageOf, type Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { renderSecondFactor, renderSignIn, renderTwoFactorResetSent } from './sign-in.page';

/** What a finished step elsewhere tells the sign-in page, by the `done` parameter of its redirect. */
const NOTICES: Record<string, MessageKey> = {
  'password-changed': 'signIn.passwordChanged',
  'signed-out': 'signIn.signedOut',
  'session-ended': 'signIn.sessionEnded',
  'email-restored': 'emailChange.undoneBody',
  'two-factor-expired': 'twoFactor.expired',
  'fresh-sign-in': 'oauth.freshSignIn',
  'admin-reauth': 'admin.signInAgain',
};

/**
 * After a sign-in: back to the app's pending OpenID Connect request, or to the admin page that asked
 * for a fresh sign-in, if one sent the browser here.
 */
export function afterSignIn(page: Page): string {
  if (page.session.oauth) return `/interaction/${page.session.oauth.uid}`;
  const { returnTo, ...session } = page.session;
  if (!returnTo) return '/account';
  page.saveSession(session);
  return returnTo;
}

/** How long the API's mfa_token lives (identity's MFA_TOKEN_TTL default); the API is the judge, this only tidies the session. */
const MFA_WINDOW_MS = 5 * 60_000;

const LoginAnswer = z.union([TokenResponse, MfaRequiredResponse]);

/** Sign-in with the password, then, for an account with two-factor on, a TOTP or recovery code. */
export function signInRoutes(app: Express): void {
  app.get('/login', (req) => {
    const page = pageOf(req);
    const done = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
    renderSignIn(page, done ? { info: page.t(done) } : {});
  });
  app.post('/login', async (req) => {
    const page = pageOf(req);
    const form = page.form();
    const email = (form.email ?? '').trim();
    const password = form.password ?? '';
    const missing = { ...(email ? {} : { email: page.t('form.required') }), ...(password ? {} : { password: page.t('form.required') }) };
    if (Object.keys(missing).length > 0) {
      renderSignIn(page, { email, fieldErrors: missing, status: 400 });
      return;
    }
    const result = await page.api({ method: 'POST', path: '/auth/login', body: { email, password } }, LoginAnswer);
    if (!result.ok) {
      renderSignIn(page, {
        email,
        error: problemSentence(result.problem, page.t),
        fieldErrors: fieldErrors(result.problem, page.t),
        status: result.status,
      });
      return;
    }
    if ('mfa_required' in result.body) {
      const { auth: _auth, ...session } = page.session;
      page.saveSession({ ...session, mfa: { token: result.body.mfa_token, expiresAt: page.deps.clock().getTime() + MFA_WINDOW_MS } });
      page.redirect('/login/two-factor');
      return;
    }
    page.signIn(result.body, true);
    page.redirect(afterSignIn(page));
  });

  app.get('/login/two-factor', (req) => {
    const page = pageOf(req);
    if (!pendingMfa(page)) return;
    renderSecondFactor(page, { method: req.query.method === 'recovery' ? 'recovery' : 'code' });
  });
  app.post('/login/two-factor', async (req) => {
    const page = pageOf(req);
    const mfaToken = pendingMfa(page);
    if (!mfaToken) return;
    const form = page.form();
    const method = form.recoveryCode !== undefined ? 'recovery' : 'code';
    const value = (method === 'recovery' ? form.recoveryCode : form.code)?.trim() ?? '';
    const fieldName = method === 'recovery' ? 'recoveryCode' : 'code';
    if (!value) {
      renderSecondFactor(page, { method, fieldErrors: { [fieldName]: page.t('form.required') }, status: 400 });
      return;
    }
    const body = method === 'recovery' ? { mfaToken, recoveryCode: value } : { mfaToken, code: value.replace(/\s/g, '') };
    const result = await page.api({ method: 'POST', path: '/auth/login/2fa', body }, TokenResponse);
    if (result.ok) {
      page.signIn(result.body, true);
      page.redirect(afterSignIn(page));
      return;
    }
    if (result.problem.code === 'unauthorized') {
      forgetMfa(page);
      page.redirect('/login?done=two-factor-expired');
      return;
    }
    const errors = fieldErrors(result.problem, page.t);
    renderSecondFactor(page, {
      method,
      error: problemSentence(result.problem, page.t),
      fieldErrors: errors[fieldName] ? { [fieldName]: errors[fieldName] } : {},
      status: result.status,
    });
  });
  app.post('/login/two-factor/reset', async (req) => {
    const page = pageOf(req);
    const mfaToken = pendingMfa(page);
    if (!mfaToken) return;
    const result = await page.api({ method: 'POST', path: '/auth/login/2fa/reset', body: { mfaToken } }, Message);
    // The request spends the mfa_token, whatever the answer.
    forgetMfa(page);
    if (result.ok) {
      renderTwoFactorResetSent(page);
      return;
    }
    if (result.problem.code === 'unauthorized') {
      page.redirect('/login?done=two-factor-expired');
      return;
    }
    renderSignIn(page, { error: problemSentence(result.problem, page.t), status: result.status });
  });
}

/** The sign-in's pending second step, or null after sending the browser back to the first. */
function pendingMfa(page: Page): string | null {
  const token = pendingMfaToken(page);
  if (!token) page.redirect('/login?done=two-factor-expired');
  return token;
}

/** The mfa_token of the sign-in's pending second step; null, and forgotten, once its time is up. */
export function pendingMfaToken(page: Page): string | null {
  const mfa = page.session.mfa;
  if (mfa && mfa.expiresAt > page.deps.clock().getTime()) return mfa.token;
  forgetMfa(page);
  return null;
}

export function forgetMfa(page: Page): void {
  const { mfa: _mfa, ...session } = page.session;
  page.saveSession(session);
}
