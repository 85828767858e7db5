import { z } from 'zod';

/**
 * NODE_ENV: `development` and `test` relax safeguards (CAPTCHA `none`, development signing keys, the
 * placeholder email footer, http links on localhost). A missing NODE_ENV is production: a deployment
 * that forgets the variable keeps every safeguard, and only `npm start` and the tests, which set it
 * themselves, get the relaxed behaviour.
 */
export const NODE_ENV = z.enum(['development', 'test', 'production']).default('production');
export type NodeEnv = z.output<typeof NODE_ENV>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why a public origin (the base of links in emails, a browser origin) is not acceptable, or null when it
 * is: https everywhere; http only for this machine (localhost, 127.0.0.1, ::1) in development or test.
 * An http link in production would carry tokens (verification, reset, invites) over the network in
 * clear and let anyone on the path rewrite the page.
 */
export function publicUrlProblem(url: string, nodeEnv: NodeEnv): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `"${url}" is not a URL`;
  }
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:' && nodeEnv !== 'production' && LOOPBACK_HOSTS.has(parsed.hostname)) return null;
  return nodeEnv === 'production'
    ? `must be an https:// URL when NODE_ENV is production (or unset), got "${url}"`
    : `must be an https:// URL (http:// only for localhost or 127.0.0.1), got "${url}"`;
}

/** Adds an issue naming `variable` for each of `urls` that publicUrlProblem refuses; for a schema's superRefine. */
export function checkPublicUrls(ctx: z.RefinementCtx, variable: string, urls: string[], nodeEnv: NodeEnv): void {
  for (const url of urls) {
    const problem = publicUrlProblem(url, nodeEnv);
    if (problem) ctx.addIssue({ code: 'custom', path: [variable], message: problem });
  }
}
