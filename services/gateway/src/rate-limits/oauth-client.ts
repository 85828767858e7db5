import type { IncomingHttpHeaders } from 'node:http';

/**
 * The OAuth client a token request names: the user of its HTTP Basic credentials (RFC 6749 §2.3.1,
 * form-encoded) or the `client_id` of its form (a public client, `client_secret_post`). Undefined
 * when it names none or the body was not read. Only a rate-limit key: nothing here is authenticated.
 */
export function oauthClientOf(req: { headers: IncomingHttpHeaders; bufferedBody?: Buffer | undefined }): string | undefined {
  const basic = /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return capped(safeDecode(decoded.slice(0, colon)));
  }
  if (!req.bufferedBody || !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const id = new URLSearchParams(req.bufferedBody.toString('utf8')).get('client_id');
  return id ? capped(id) : undefined;
}

/** Client ids are short; a long made-up one must not become a long key in Redis. */
const capped = (id: string) => id.slice(0, 128);

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};
