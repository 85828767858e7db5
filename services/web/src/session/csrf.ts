import { timingSafeEqual } from 'node:crypto';

export type CsrfRefusal = 'origin' | 'token';

/**
 * Whether a state-changing request may go on. Two checks, each enough alone against a form on
 * another site. Where the request comes from: an Origin the browser names must be ours; but under
 * the pages' `Referrer-Policy: no-referrer` browsers send `Origin: null` with their own form posts
 * (Fetch, "serializing a request origin"), as they do for sandboxed frames, so a null or missing
 * Origin counts only with Fetch Metadata saying same-origin (a browser too old to send it has the
 * token alone). And the form's token must be the one sealed in this browser's session cookie,
 * which another site can neither read nor set.
 */
export function csrfRefusal(input: {
  origin: string | undefined;
  secFetchSite: string | undefined;
  expectedOrigin: string;
  formToken: unknown;
  sessionToken: string | undefined;
}): CsrfRefusal | null {
  const named = input.origin !== undefined && input.origin !== 'null';
  if (named ? input.origin !== input.expectedOrigin : input.secFetchSite !== undefined && input.secFetchSite !== 'same-origin')
    return 'origin';
  if (typeof input.formToken !== 'string' || !input.sessionToken) return 'token';
  const given = Buffer.from(input.formToken);
  const expected = Buffer.from(input.sessionToken);
  return given.length === expected.length && timingSafeEqual(given, expected) ? null : 'token';
}
