import type { TestStack } from './stack';

export interface ApiCall {
  /** GET without a body, POST with one, unless given. */
  method?: string;
  /** Sent as JSON, or as it is when a string. */
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/**
 * Calls the gateway's `/v1` API as a client app would, through `stack.fetch`, which checks every
 * answer against the OpenAPI document. `gatewayUrl` is read at each call: tests learn it in
 * `beforeAll`.
 */
export function apiClient(stack: TestStack, gatewayUrl: () => string) {
  return (path: string, init: ApiCall = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...init.headers };
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    return stack.fetch(`${gatewayUrl()}/v1${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
    });
  };
}

/** The body of an answer that must have this status; the body is in the error when it has not. */
export async function expectJson<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return (text === '' ? {} : JSON.parse(text)) as T;
}

export async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await expectJson(response, status)).toMatchObject({ status, code });
}
