import type { IncomingHttpHeaders } from 'node:http';
import { CAPTCHA_PROOF_HEADER } from '@solar/chassis';

/**
 * Headers that say who the caller is in deployments where a proxy authenticates for the services
 * behind it. Ours verify the token themselves, but a client must never be able to send such a header
 * through the gateway to a service (or a future one) that would believe it. The same goes for the
 * gateway's own CAPTCHA proof: only the CAPTCHA check may set it, after the client's is gone.
 */
const EXACT = new Set([
  'x-user-id',
  'x-user-roles',
  'x-user-email',
  'x-forwarded-user',
  'x-forwarded-email',
  'x-forwarded-groups',
  'x-remote-user',
  'remote-user',
  'x-auth-user',
  CAPTCHA_PROOF_HEADER,
]);
const PREFIXES = ['x-authenticated-', 'x-auth-request-', 'x-forwarded-preferred-', 'x-user-', 'x-jwt-', 'x-userinfo'];

export function stripIdentityHeaders(headers: IncomingHttpHeaders): void {
  for (const name of Object.keys(headers)) {
    if (EXACT.has(name) || PREFIXES.some((prefix) => name.startsWith(prefix))) delete headers[name];
  }
}
