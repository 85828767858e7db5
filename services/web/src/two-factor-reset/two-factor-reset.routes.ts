import type { Express } from 'express';
import { TwoFactorResetResponse } from '@solar/contracts';
import { linkToken, moveTokenOutOfUrl, problemNotice, renderLinkProblem, type NextStep } from '../email-links/link-token';
import { pageOf } from '../http/page-context';
import { renderConfirmTwoFactorReset, renderTwoFactorResetScheduled } from './two-factor-reset.page';

const PATH = '/two-factor-reset';
const NEXT: NextStep = { text: 'twoFactorReset.next', href: '/login', label: 'nav.signIn' };

/** The emailed link of a lost second factor (`/two-factor-reset?token=`): confirming starts the waiting period (security finding 2). */
export function twoFactorResetRoutes(app: Express): void {
  moveTokenOutOfUrl(app, PATH);
  app.get(PATH, (req) => renderConfirmTwoFactorReset(pageOf(req)));
  app.post(PATH, async (req) => {
    const page = pageOf(req);
    const token = linkToken(page, PATH);
    if (!token) {
      renderLinkProblem(page, PATH, 'missing', NEXT);
      return;
    }
    const result = await page.api({ method: 'POST', path: '/auth/2fa/reset/confirm', body: { token } }, TwoFactorResetResponse);
    if (result.ok) {
      page.deps.links.clear(page.res, PATH);
      renderTwoFactorResetScheduled(page, result.body.reset.effectiveAt);
      return;
    }
    if (renderLinkProblem(page, PATH, result.problem, NEXT)) return;
    renderConfirmTwoFactorReset(page, { error: problemNotice(page, result.problem), status: result.status });
  });
}
