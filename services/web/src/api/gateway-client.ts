import { z } from 'zod';
import { Email, PROBLEM_STATUS, type ProblemCode } from '@solar/contracts';
import { PAGES_PROOF_HEADER, signPagesProof, type Logger } from '@solar/chassis';

/** What the pages need of a problem answer: its code, the fields it names, and when to try again. */
export interface ApiProblem {
  code: ProblemCode;
  status: number;
  errors: { path: string; message: string }[];
  retryAfterSeconds?: number;
}

export type ApiResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; problem: ApiProblem };

export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /v1, as the API documents it: `/auth/login`. */
  path: string;
  body?: unknown;
  accessToken?: string;
  /** The browser's address, as this service's trusted hops report it. */
  clientIp: string;
  /** The browser's own, so the account's session list and audit log name the device rather than this service. */
  userAgent?: string;
  requestId?: string;
  /** More request headers (the interaction proof of an OpenID Connect step). */
  headers?: Record<string, string>;
}

const ProblemBody = z.looseObject({
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.number().optional(),
});

const isProblemCode = (code: string): code is ProblemCode => code in PROBLEM_STATUS;

/**
 * The pages' way into the system: the gateway's public /v1 API, like any other client's. The answer
 * is checked against the contract's schema, so a change of the API shows here as an error rather
 * than as a page that renders `undefined`. The browser's address goes along in X-Forwarded-For: the
 * gateway believes it from this hop (its TRUST_PROXY), so its per-IP limits and identity's sign-in
 * lock count the person rather than this service.
 */
export class GatewayClient {
  constructor(
    private readonly options: {
      baseUrl: string;
      timeoutMs: number;
      logger: Logger;
      /** PAGES_SIGN_IN_KEY: each password sign-in carries the pages' proof, so identity takes it with the password grant off. */
      pagesSignInKey?: string | undefined;
      clock: () => Date;
    },
  ) {}

  async call<T>(call: ApiCall, schema: z.ZodType<T>): Promise<ApiResult<T>> {
    const headers: Record<string, string> = {
      ...call.headers,
      ...this.pagesProof(call),
      accept: 'application/json',
      'x-forwarded-for': call.clientIp,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.accessToken) headers.authorization = `Bearer ${call.accessToken}`;
    if (call.requestId) headers['x-request-id'] = call.requestId;
    if (call.userAgent) headers['user-agent'] = call.userAgent;
    let response: Response;
    try {
      response = await fetch(new URL(`/v1${call.path}`, this.options.baseUrl), {
        method: call.method,
        headers,
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'manual',
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      this.options.logger.warn({ err: error, path: call.path }, 'the API could not be reached');
      return failure(timedOut ? 'gateway_timeout' : 'service_unavailable');
    }
    const text = await response.text();
    if (response.ok) {
      const parsed = schema.safeParse(text === '' ? undefined : JSON.parse(text));
      if (parsed.success) return { ok: true, status: response.status, body: parsed.data };
      // The path only: bodies of these answers carry tokens.
      this.options.logger.error(
        { path: call.path, status: response.status, issues: parsed.error.issues.length },
        'the API answered outside its contract',
      );
      return failure('bad_gateway');
    }
    return { ok: false, status: response.status, problem: problemOf(response, text) };
  }

  /** The proof for a password sign-in, over the address as identity reads it. */
  private pagesProof(call: ApiCall): Record<string, string> {
    const key = this.options.pagesSignInKey;
    const email = Email.safeParse((call.body as { email?: unknown } | undefined)?.email);
    if (!key || call.path !== '/auth/login' || !email.success) return {};
    return { [PAGES_PROOF_HEADER]: signPagesProof(key, email.data, this.options.clock()) };
  }
}

function problemOf(response: Response, text: string): ApiProblem {
  let body: z.output<typeof ProblemBody> | undefined;
  try {
    body = ProblemBody.safeParse(JSON.parse(text)).data;
  } catch {
    body = undefined;
  }
  const fallback: ProblemCode = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'bad_gateway' : 'validation_failed';
  const code = body && isProblemCode(body.code) ? body.code : fallback;
  const retryAfter = body?.retryAfterSeconds ?? retryAfterHeader(response.headers.get('retry-after'));
  return {
    code,
    status: response.status,
    errors: body?.errors ?? [],
    ...(retryAfter !== undefined ? { retryAfterSeconds: retryAfter } : {}),
  };
}

/** Retry-After in seconds, or as an HTTP date (RFC 9110 §10.2.3). */
function retryAfterHeader(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function failure(code: ProblemCode): { ok: false; status: number; problem: ApiProblem } {
  return { ok: false, status: PROBLEM_STATUS[code], problem: { code, status: PROBLEM_STATUS[code], errors: [] } };
}
