import type { Express } from 'express';
import { z } from 'zod';
import {
  AppAccessList,
  AuditPage,
  CancelDeletionResponse,
  CancelTwoFactorResetResponse,
  Message,
  PasskeyList,
  Profile,
  SessionList,
  TwoFactorStatus,
} from '@solar/contracts';
import type { ApiResult } from '../api/gateway-client';
import { pageOf } from '../http/page-context';
import { formatDate } from '../i18n/locale';
import type { MessageKey } from '../i18n/en';
import { renderAccount } from './account.page';
import { renderApiProblem, signedIn } from './signed-in';

/** What a finished step tells the account page, by the `done` parameter of its redirect. */
const DONE: Record<string, MessageKey> = {
  'verification-sent': 'account.resent',
  'already-verified': 'account.alreadyVerified',
  'deletion-cancelled': 'account.deletionCancelled',
  'deletion-requested': 'deletion.requested',
  'two-factor-reset-cancelled': 'account.twoFactorResetCancelled',
  'profile-saved': 'account.profileSaved',
  'password-changed': 'password.changed',
  'email-change-requested': 'emailChange.requested',
  'session-revoked': 'sessions.revoked',
  'app-revoked': 'apps.revoked',
  'passkey-added': 'passkeys.added',
  'passkey-removed': 'passkeys.removed',
  'data-export-requested': 'dataExport.requested',
};

/** How many audit entries the account page shows; the rest are a link away (`/account/activity`). */
const RECENT_ACTIVITY = 5;

/**
 * The signed-in account: name, address, language, devices and recent security activity, and the
 * two emails' way back (a pending deletion, a pending two-factor reset). Sign-out ends the API
 * session too. The emails' `/settings/account` and `/settings/security` links land here.
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
    const [profile, twoFactor, passkeys, sessions, apps, activity] = await Promise.all([
      page.api({ method: 'GET', path: '/users/me', accessToken }, Profile),
      page.api({ method: 'GET', path: '/auth/2fa', accessToken }, TwoFactorStatus),
      page.api({ method: 'GET', path: '/auth/passkeys', accessToken }, PasskeyList),
      page.api({ method: 'GET', path: '/users/me/sessions', accessToken }, SessionList),
      page.api({ method: 'GET', path: '/users/me/apps', accessToken }, AppAccessList),
      page.api({ method: 'GET', path: `/users/me/audit-log?limit=${RECENT_ACTIVITY}`, accessToken }, AuditPage),
    ]);
    if (!profile.ok) return renderApiProblem(page, profile.problem);
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    const purgeAt = profile.body.deletion?.purgeAt;
    renderAccount(page, {
      profile: profile.body,
      twoFactor: twoFactor.ok ? twoFactor.body : null,
      passkeys: passkeys.ok ? passkeys.body.passkeys : null,
      sessions: sessions.ok ? sessions.body.sessions : null,
      apps: apps.ok ? apps.body.apps : null,
      activity: activity.ok ? activity.body : null,
      info: done ? page.t(done, { email: profile.body.email, date: purgeAt ? formatDate(page.locale, purgeAt) : '' }) : undefined,
    });
  });

  accountAction(app, '/account/send-verification', { method: 'POST', path: '/auth/send-verification' }, Message, (result) =>
    result.ok ? 'verification-sent' : result.problem.code === 'conflict' ? 'already-verified' : null,
  );
  accountAction(app, '/account/cancel-deletion', { method: 'POST', path: '/auth/cancel-deletion' }, CancelDeletionResponse, (result) =>
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
    const done = outcome(result);
    if (done) return page.redirect(`/account?done=${done}`);
    if (result.ok) return page.redirect('/account');
    renderApiProblem(page, result.problem);
  });
}
