import type { Express } from 'express';
import { Registered } from '@solar/contracts';
import { fieldErrors, hasFieldErrors } from '../api/problem-messages';
import { linkToken, problemNotice, renderLinkProblem, type NextStep } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderSignedUp, renderSignUp } from './sign-up.page';

const PATH = '/register';
const NEXT: NextStep = { text: 'signUp.haveAccount', href: '/login', label: 'nav.signIn' };

/**
 * Sign-up at `/register`, the path of the waitlist's invite link (`/register?invite=&email=`). The
 * invite's token moves into the path's link cookie like any emailed token; its address goes into
 * the session, and the form shows it fixed: the API accepts an invite only for its own address.
 */
export function signUpRoutes(app: Express): void {
  app.get('/sign-up', (req, res) => res.redirect(308, `${PATH}${req.url.slice(req.path.length)}`));
  app.get(PATH, (req, res, next) => {
    const invite = req.query.invite;
    if (invite === undefined) {
      next();
      return;
    }
    const page = pageOf(req);
    const email = typeof req.query.email === 'string' ? req.query.email.trim().toLowerCase() : '';
    if (typeof invite === 'string' && invite.length > 0 && invite.length <= 256) {
      page.deps.links.store(res, PATH, invite);
      const { invite: _old, ...session } = page.session;
      page.saveSession(email ? { ...session, invite: { email } } : session);
    }
    page.redirect(PATH);
  });
  app.get(PATH, (req) => {
    const page = pageOf(req);
    renderSignUp(page, page.session.invite ? { invitedEmail: page.session.invite.email } : {});
  });
  app.post(PATH, async (req) => {
    const page = pageOf(req);
    const form = page.form();
    const inviteToken = linkToken(page, PATH) ?? undefined;
    const invitedEmail = inviteToken ? page.session.invite?.email : undefined;
    const email = invitedEmail ?? (form.email ?? '').trim();
    const password = form.password ?? '';
    const missing = { ...(email ? {} : { email: page.t('form.required') }), ...(password ? {} : { password: page.t('form.required') }) };
    if (Object.keys(missing).length > 0) {
      renderSignUp(page, { email, ...(invitedEmail ? { invitedEmail } : {}), fieldErrors: missing, status: 400 });
      return;
    }
    const result = await page.api(
      { method: 'POST', path: '/auth/register', body: { email, password, locale: page.locale, ...(inviteToken ? { inviteToken } : {}) } },
      Registered,
    );
    if (result.ok) {
      page.deps.links.clear(page.res, PATH);
      const { invite: _done, ...session } = page.session;
      page.saveSession(session);
      renderSignedUp(page, email);
      return;
    }
    const errors = fieldErrors(result.problem, page.t);
    if (!hasFieldErrors(result.problem) && inviteToken && renderLinkProblem(page, PATH, result.problem, NEXT)) return;
    renderSignUp(page, {
      email,
      ...(invitedEmail ? { invitedEmail } : {}),
      error: problemNotice(page, result.problem),
      fieldErrors: errors,
      status: result.status,
      waitlist: result.problem.code === 'invite_required',
    });
  });
}
