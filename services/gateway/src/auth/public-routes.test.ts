import { httpOperations } from '@solar/contracts';
import { isPublicPath } from './public-routes';

describe('isPublicPath', () => {
  it.each([
    '/auth/register',
    '/auth/login',
    '/auth/login/2fa',
    '/auth/login/2fa/reset',
    '/auth/2fa/reset/confirm',
    '/auth/passkeys/authentication/options',
    '/auth/passkeys/authentication/verify',
    '/auth/token/refresh',
    '/auth/verify-email',
    '/auth/request-password-reset',
    '/auth/reset-password',
    '/auth/confirm-email-change',
    '/auth/undo-email-change',
    '/waitlist/join',
    '/health/email',
    '/.well-known/jwks.json',
    '/webhooks/email/sendgrid',
    '/AUTH/Login/',
  ])('lets %s through without a token', (path) => {
    expect(isPublicPath(path)).toBe(true);
  });

  it.each([
    '/users/me',
    '/users/me/usage',
    '/auth/logout',
    '/auth/change-password',
    '/auth/send-verification',
    '/auth/request-deletion',
    '/admin/users',
    '/admin/waitlist',
    '/auth/register/extra',
    '/auth/login/2fa/more',
    '/auth/2fa',
    '/auth/2fa/reset',
    '/.well-known',
    '/webhooks',
  ])('requires a token on %s', (path) => {
    expect(isPublicPath(path)).toBe(false);
  });

  it.each([
    '/.well-known/../users/me',
    '/webhooks/./../admin/users',
    '/auth/%6Cogin',
    '/.well-known/%2e%2e/users/me',
    '//auth/login',
    '/.well-known//x',
  ])('gives no pass to the disguised path %s', (path) => {
    expect(isPublicPath(path)).toBe(false);
  });

  // The list is kept by hand for speed on every request; the API contract is what it must agree with.
  it.each(httpOperations.map((op) => [op.method.toUpperCase(), op.path, op.security] as const))(
    '%s %s: public exactly when the contract says security %s',
    (_method, path, security) => {
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      expect(isPublicPath(concrete)).toBe(security === 'none');
    },
  );
});
