import type { Express } from 'express';
import { TwoFactorResetResponse } from '@solar/contracts';
import { linkPageRoutes } from '../email-links/link-token';
import { renderConfirmTwoFactorReset, renderTwoFactorResetScheduled } from './two-factor-reset.page';

/** The emailed link of a lost second factor (`/two-factor-reset?token=`): confirming starts the waiting period (security finding 2). */
export function twoFactorResetRoutes(app: Express): void {
  linkPageRoutes(app, {
    path: '/two-factor-reset',
    next: { text: 'twoFactorReset.next', href: '/login', label: 'nav.signIn' },
    renderForm: renderConfirmTwoFactorReset,
    spend: (page, token) => page.api({ method: 'POST', path: '/auth/2fa/reset/confirm', body: { token } }, TwoFactorResetResponse),
    done: (page, response) => renderTwoFactorResetScheduled(page, response.reset.effectiveAt),
  });
}
