/**
 * The /v1 routes a client reaches without an access token; every other route needs one. Exact paths
 * match exactly, prefixes match themselves and whatever lies below them.
 */
const PUBLIC_PATHS = new Set([
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
  '/data-exports/download',
  '/waitlist/join',
  '/health/email',
]);
const PUBLIC_PREFIXES = ['/.well-known/', '/webhooks/'];

/**
 * Whether a path under /v1 is public. Spelled as Express and the services match it (any case, a
 * trailing slash); a path with a dot segment or an encoded character never is, so that
 * `/.well-known/../users/me` or `/auth/%6Cogin` cannot borrow a public route's pass to reach a
 * protected one through a service that would normalise it.
 */
export function isPublicPath(path: string): boolean {
  if (/%|\/\.\.?(\/|$)|\/\//.test(path)) return false;
  const normalised = path.toLowerCase().replace(/\/+$/, '');
  return PUBLIC_PATHS.has(normalised) || PUBLIC_PREFIXES.some((prefix) => normalised.startsWith(prefix));
}
