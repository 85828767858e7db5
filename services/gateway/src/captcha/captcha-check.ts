import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { Email } from '@solar/contracts';
import { AppError, CAPTCHA_PROOF_HEADER, signCaptchaProof, type Logger, type Metrics } from '@solar/chassis';
import { readBody } from '../http/buffered-body';
import type { GatewayConfig } from '../config';
import { SITEVERIFY_URLS } from './captcha-config';
import { siteverify, type SiteverifyOutcome } from './siteverify';

/** Longer than any provider keeps a token valid (reCAPTCHA and hCaptcha about 2 minutes, Turnstile 5). */
const REUSE_WINDOW_MS = 10 * 60_000;
const MAX_TOKEN_LENGTH = 4_096;

interface CaptchaCheckDeps {
  verify: (token: string, remoteIp: string | undefined) => Promise<SiteverifyOutcome>;
  redis: Redis;
  /** Paths under /v1 (lower case) whose POSTs need a CAPTCHA. */
  paths: string[];
  /**
   * Sign-in, whose CAPTCHA is optional: identity asks for one (403 captcha_required) only past the
   * failures an address may take from everywhere. A verified one is forwarded as `proof(email)`.
   */
  signIn?: { path: string; proof: (email: string) => string } | undefined;
  failOpen: boolean;
  bodyLimitBytes: number;
  logger: Logger;
  metrics: Metrics;
}

type CaptchaOutcome = 'passed' | 'refused' | 'replayed' | 'missing_token' | 'unavailable_let_through' | 'unavailable_refused';

/**
 * Reads the small JSON body of a CAPTCHA-guarded route, checks its `captchaToken` and keeps the bytes
 * for the proxy to forward unchanged. A token is good once: its hash is claimed in Redis (SET NX)
 * before the provider is asked, so a replay is refused here even while the provider would still
 * accept it, and two concurrent uses of one token cannot both pass. If Redis is down, the provider's
 * own single-use rule is the only one left, which is why that is logged.
 *
 * On sign-in the token is optional and a request without one passes as it came. With one, it is
 * checked like any other, and identity is told by a proof header signed with the key the two share
 * (bound to the address and a few seconds), which identity believes from no one else.
 */
function captchaCheck(deps: CaptchaCheckDeps): RequestHandler {
  const guarded = new Set(deps.paths);
  const outcomes = deps.metrics.counter({
    name: 'solar_gateway_captcha_total',
    help: 'CAPTCHA checks by outcome (passed, refused, replayed, missing_token, unavailable_let_through, unavailable_refused)',
    labelNames: ['outcome'],
  });
  const count = (outcome: CaptchaOutcome) => outcomes.inc({ outcome });
  let redisDown = false;
  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    const path = req.path.toLowerCase().replace(/\/+$/, '');
    const signIn = deps.signIn?.path === path ? deps.signIn : undefined;
    if (!signIn && !guarded.has(path)) return next();
    // The OAuth2 password form has no place for a token: it passes to identity as it came.
    if (signIn && !req.is('application/json')) return next();
    const body = await readBody(req, res, deps.bodyLimitBytes);
    if (!body) return; // answered 413, or the client went away
    const parsed = jsonOf(body);
    if (signIn && (parsed === undefined || captchaTokenField(parsed.value) === undefined)) return next(); // an ordinary sign-in: identity judges the body
    if (parsed === undefined) throw new AppError('malformed_json', 'The request body is not valid JSON');
    const token = captchaTokenOf(parsed.value, () => count('missing_token'));
    const claim = `captcha:used:${createHash('sha256').update(token).digest('hex')}`;
    const claimed = await deps.redis.set(claim, '1', 'PX', REUSE_WINDOW_MS, 'NX').then(
      (answer) => {
        if (redisDown) deps.logger.info('Redis answers again: CAPTCHA tokens are claimed once more');
        redisDown = false;
        return answer;
      },
      (error: Error) => {
        // Once per outage, not per request.
        if (!redisDown) deps.logger.warn({ err: error.message }, 'Redis is unavailable: CAPTCHA replays are refused by the provider alone');
        redisDown = true;
        return 'unchecked' as const;
      },
    );
    if (claimed === null) {
      count('replayed');
      throw new AppError('captcha_failed', 'The CAPTCHA token has already been used');
    }
    const result = await deps.verify(token, req.ip);
    if (result.outcome === 'passed') {
      count('passed');
      if (signIn) attachProof(req.headers, signIn.proof, parsed.value);
      return next();
    }
    if (result.outcome === 'refused') {
      count('refused');
      deps.logger.info({ errorCodes: result.errorCodes, path: req.path }, 'CAPTCHA refused by the provider');
      throw new AppError('captcha_failed', 'The CAPTCHA check failed; solve it again');
    }
    deps.logger.error({ reason: result.reason, failOpen: deps.failOpen }, 'CAPTCHA provider unavailable');
    // Let through unjudged, the token stays spent; refused unjudged, the client may use it again once the provider answers.
    // A sign-in let through unjudged carries no proof: fail-open keeps sign-ups open, it does not lift the address count.
    count(deps.failOpen ? 'unavailable_let_through' : 'unavailable_refused');
    if (deps.failOpen) return next();
    await deps.redis.del(claim).catch(() => undefined);
    throw new AppError('service_unavailable', 'The CAPTCHA cannot be checked right now; try again shortly', { retryAfterSeconds: 10 });
  };
}

function jsonOf(body: Buffer): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return undefined;
  }
}

const captchaTokenField = (parsed: unknown): unknown => (parsed as { captchaToken?: unknown } | null)?.captchaToken;

/** The proof is bound to the address as identity will read it; an invalid one gets none, and identity's 400. */
function attachProof(headers: IncomingHttpHeaders, proof: (email: string) => string, parsed: unknown): void {
  const email = Email.safeParse((parsed as { email?: unknown } | null)?.email);
  if (email.success) headers[CAPTCHA_PROOF_HEADER] = proof(email.data);
}

function captchaTokenOf(parsed: unknown, missing: () => void): string {
  const token = captchaTokenField(parsed);
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    missing();
    throw new AppError('captcha_failed', 'A CAPTCHA token (captchaToken) is required');
  }
  return token;
}

/** The check as configured, or undefined with CAPTCHA_PROVIDER=none. */
export function captchaFromConfig(
  config: GatewayConfig,
  redis: Redis | undefined,
  logger: Logger,
  metrics: Metrics,
): RequestHandler | undefined {
  const provider = config.CAPTCHA_PROVIDER;
  if (provider === 'none' || !redis) return undefined;
  const proofKey = config.CAPTCHA_PROOF_KEY;
  const settings = {
    url: config.CAPTCHA_VERIFY_URL ?? SITEVERIFY_URLS[provider],
    secret: config.CAPTCHA_SECRET ?? '',
    timeoutMs: config.CAPTCHA_TIMEOUT,
    hostnames: config.CAPTCHA_HOSTNAMES ? new Set(config.CAPTCHA_HOSTNAMES) : undefined,
    action: config.CAPTCHA_ACTION,
  };
  return captchaCheck({
    verify: (token, remoteIp) => siteverify(settings, token, remoteIp),
    redis,
    paths: config.CAPTCHA_ON_REGISTER ? ['/waitlist/join', '/auth/register'] : ['/waitlist/join'],
    signIn: proofKey ? { path: '/auth/login', proof: (email) => signCaptchaProof(proofKey, email, new Date()) } : undefined,
    failOpen: config.CAPTCHA_FAIL_OPEN,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    logger,
    metrics,
  });
}
