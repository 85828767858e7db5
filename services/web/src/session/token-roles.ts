import { z } from 'zod';

const Claims = z.object({ roles: z.array(z.string()).catch([]) });

/**
 * The roles an access token names, read without checking its signature: only for what the pages
 * show (the header's admin link, the admin pages' 403 before any call). The API checks the token
 * on every call, so a forged cookie value would show a link and nothing more; the cookie is sealed
 * anyway.
 */
export function tokenRoles(accessToken: string): string[] {
  const payload = accessToken.split('.')[1];
  if (!payload) return [];
  try {
    return Claims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).roles;
  } catch {
    return [];
  }
}
