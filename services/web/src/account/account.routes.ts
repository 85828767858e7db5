import type { Express } from 'express';
import { z } from 'zod';
import { CancelTwoFactorResetResponse, Message, Profile, TwoFactorStatus } from '@solar/contracts';
import type { ApiResult } from '../api/gateway-client';
import { problemSentence } from '../api/problem-messages';
import { pageOf, type Page } from '../http/page-context';
import type { MessageKey } from '../i18n/en';
import { renderAccount } from './account.page';

const DONE: Record<string, MessageKey> = {
  'verification-sent': 'account.resent',
  'already-verified': 'account.alreadyVerified',
  'deletion-cancelled': 'account.deletionCancelled',
  'two-factor-reset-cancelled': 'account.twoFactorResetCancelled',
};

/**
 * The signed-in account: name, address and whether it is confirmed, a new confirmation link, and
 * the two emails' way back (a pending deletion, a pending two-factor reset). Sign-out ends the
 * API session too. The emails' `/settings/account` and `/settings/security` links land here.
 */
export function accountRoutes(app: Express): void {
  app.get('/', (req) => {
    const page = pageOf(req);
    page.redirect(page.session.auth ? '/account' : '/login');
  });
  app.get(['/settings/account', '/settings/security'], (req) => pageOf(req).redirect('/account'));

  app.get('/account', async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const [profile, twoFactor] = await Promise.all([
      page.api({ method: 'GET', path: '/users/me', accessToken }, Profile),
      page.api({ method: 'GET', path: '/auth/2fa', accessToken }, TwoFactorStatus),
    ]);
    if (!profile.ok) {
      if (profile.status === 401) return sessionEnded(page);
      page.render({ status: profile.status, title: page.t('error.title'), body: problemSentence(profile.problem, page.t) });
      return;
    }
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    renderAccount(page, {
      profile: profile.body,
      twoFactor: twoFactor.ok ? twoFactor.body : null,
      info: done ? page.t(done, { email: profile.body.email }) : undefined,
    });
  });

  accountAction(app, '/account/send-verification', { method: 'POST', path: '/auth/send-verification' }, Message, (result) =>
    result.ok ? 'verification-sent' : result.problem.code === 'conflict' ? 'already-verified' : null,
  );
  accountAction(app, '/account/cancel-deletion', { method: 'POST', path: '/auth/cancel-deletion' }, z.unknown(), (result) =>
    result.ok ? 'deletion-cancelled' : null,
  );
  accountAction(
    app,
    '/account/cancel-two-factor-reset',
    { method: 'DELETE', path: '/auth/2fa/reset' },
    CancelTwoFactorResetResponse,
    (result) => (result.ok ? 'two-factor-reset-cancelled' : null),
  );

  app.post('/logout', async (req) => {
    const page = pageOf(req);
    const accessToken = await page.accessToken();
    if (accessToken) await page.api({ method: 'POST', path: '/auth/logout', accessToken, body: { all: false } }, z.unknown());
    page.saveSession(page.deps.sessions.renewed(page.session, {}));
    page.redirect('/login?done=signed-out');
  });
}

/** A button of the account page: one API call, then back to the page with what happened. */
function accountAction<T>(
  app: Express,
  route: string,
  call: { method: 'POST' | 'DELETE'; path: string },
  schema: z.ZodType<T>,
  outcome: (result: ApiResult<T>) => string | null,
): void {
  app.post(route, async (req) => {
    const page = pageOf(req);
    const accessToken = await signedIn(page);
    if (!accessToken) return;
    const result = await page.api({ ...call, accessToken }, schema);
    if (!result.ok && result.status === 401) return sessionEnded(page);
    const done = outcome(result);
    if (done) {
      page.redirect(`/account?done=${done}`);
      return;
    }
    if (result.ok) {
      page.redirect('/account');
      return;
    }
    page.render({ status: result.status, title: page.t('error.title'), body: problemSentence(result.problem, page.t) });
  });
}

export async function signedIn(page: Page): Promise<string | null> {
  const accessToken = await page.accessToken();
  if (!accessToken) sessionEnded(page);
  return accessToken;
}

export function sessionEnded(page: Page): void {
  const ended = page.session.auth !== undefined;
  if (ended) page.saveSession(page.deps.sessions.renewed(page.session, {}));
  page.redirect(ended ? '/login?done=session-ended' : '/login');
}
