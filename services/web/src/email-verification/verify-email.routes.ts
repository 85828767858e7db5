import type { Express } from 'express';
import { EmailVerified } from '@solar/contracts';
import { linkToken, moveTokenOutOfUrl, problemNotice, renderLinkProblem, type NextStep } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderEmailVerified, renderVerifyEmail } from './verify-email.page';

const PATH = '/verify-email';
const NEXT: NextStep = { text: 'verify.next', href: '/login', label: 'nav.signIn' };

/**
 * The verification email's link (`/verify-email?token=`): a page with one button, whose POST
 * confirms the address with the API. Nothing is confirmed by the GET, so a mail scanner that
 * follows links spends no token.
 */
export function verifyEmailRoutes(app: Express): void {
  moveTokenOutOfUrl(app, PATH);
  app.get(PATH, (req) => renderVerifyEmail(pageOf(req)));
  app.post(PATH, async (req) => {
    const page = pageOf(req);
    const token = linkToken(page, PATH);
    if (!token) {
      renderLinkProblem(page, PATH, 'missing', NEXT);
      return;
    }
    const result = await page.api({ method: 'POST', path: '/auth/verify-email', body: { token } }, EmailVerified);
    if (result.ok) {
      page.deps.links.clear(page.res, PATH);
      renderEmailVerified(page, result.body.email);
      return;
    }
    if (renderLinkProblem(page, PATH, result.problem, NEXT)) return;
    renderVerifyEmail(page, { error: problemNotice(page, result.problem), status: result.status });
  });
}
