import type { Express } from 'express';
import { EmailVerified } from '@solar/contracts';
import { linkPageRoutes } from '../email-links/link-token';
import { renderEmailVerified, renderVerifyEmail } from './verify-email.page';

/**
 * The verification email's link (`/verify-email?token=`): a page with one button, whose POST
 * confirms the address with the API. Nothing is confirmed by the GET, so a mail scanner that
 * follows links spends no token.
 */
export function verifyEmailRoutes(app: Express): void {
  linkPageRoutes(app, {
    path: '/verify-email',
    next: { text: 'verify.next', href: '/login', label: 'nav.signIn' },
    renderForm: renderVerifyEmail,
    spend: (page, token) => page.api({ method: 'POST', path: '/auth/verify-email', body: { token } }, EmailVerified),
    done: (page, verified) => renderEmailVerified(page, verified.email),
  });
}
