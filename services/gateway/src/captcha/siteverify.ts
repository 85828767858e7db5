import { z } from 'zod';

export type SiteverifyOutcome =
  { outcome: 'passed' } | { outcome: 'refused'; errorCodes: string[] } | { outcome: 'unavailable'; reason: string };

const Answer = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.string()).optional(),
  /** The site the token was solved on, as every provider reports it. */
  hostname: z.string().optional(),
  /** reCAPTCHA v3 and Turnstile: the action the page named when it asked for the token. */
  action: z.string().optional(),
});

/**
 * What a passing token must also show. A provider says "success" for any token its site key issued,
 * and a key can be used on other sites (a test key, or one an attacker copies onto a page of theirs
 * to farm tokens): the hostname says where it was solved, the action which form it was solved for.
 */
export interface SiteverifyExpectations {
  /** Lower-case hostnames; none means the hostname is not checked (development). */
  hostnames?: ReadonlySet<string> | undefined;
  /** The action the answer must carry; none means the action is not checked. */
  action?: string | undefined;
}

/**
 * Error codes that blame our configuration, not the client's token: the provider could not judge the
 * token, so they count as an outage (a 503 for the client and an error for operators), never a 400.
 */
const OUR_FAULT = new Set(['missing-input-secret', 'invalid-input-secret', 'sitekey-secret-mismatch', 'internal-error']);

/**
 * Asks a provider's siteverify endpoint about a token, with the form every provider documents
 * (`secret`, `response`, `remoteip`; answer `{success, error-codes}`).
 */
export async function siteverify(
  options: { url: string; secret: string; timeoutMs: number } & SiteverifyExpectations,
  token: string,
  remoteIp: string | undefined,
): Promise<SiteverifyOutcome> {
  const form = new URLSearchParams({ secret: options.secret, response: token });
  if (remoteIp) form.set('remoteip', remoteIp);
  let response: Response;
  try {
    response = await fetch(options.url, { method: 'POST', body: form, signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    return { outcome: 'unavailable', reason: error instanceof Error ? error.name : 'fetch failed' };
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { outcome: 'unavailable', reason: `siteverify answered ${response.status}` };
  }
  const parsed = Answer.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return { outcome: 'unavailable', reason: 'siteverify answered something other than {success, error-codes}' };
  const errorCodes = parsed.data['error-codes'] ?? [];
  if (parsed.data.success) {
    // Our own codes, for the log only: the client gets the same answer as for an invalid token.
    const { hostname, action } = parsed.data;
    if (options.hostnames && !options.hostnames.has((hostname ?? '').toLowerCase()))
      return { outcome: 'refused', errorCodes: [`foreign-hostname:${hostname ?? '(none)'}`] };
    if (options.action !== undefined && action !== options.action)
      return { outcome: 'refused', errorCodes: [`wrong-action:${action ?? '(none)'}`] };
    return { outcome: 'passed' };
  }
  const ours = errorCodes.filter((code) => OUR_FAULT.has(code));
  if (ours.length > 0) return { outcome: 'unavailable', reason: `siteverify refused our request: ${ours.join(', ')}` };
  return { outcome: 'refused', errorCodes };
}
