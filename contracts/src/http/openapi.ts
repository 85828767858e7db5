import { z } from 'zod';
import { Problem } from './common';
import { PROBLEM_STATUS, type Operation, type ProblemCode } from './operation';
import { httpOperations } from './operations';

type JsonObject = Record<string, unknown>;

/** The parts of an OpenAPI 3.1 document the builder writes and the tests read. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonObject>; securitySchemes: Record<string, JsonObject> };
}

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: JsonObject[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonObject }> };
  responses: Record<string, OpenApiResponse>;
  'x-rate-limit'?: string;
  /** The scopes of which an access token from the OpenID Connect provider needs one here (docs/oidc.md). */
  'x-provider-scopes'?: string[];
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; required: boolean; schema: JsonObject }>;
  content?: Record<string, { schema: JsonObject }>;
}

const TAGS = [
  { name: 'auth', description: 'Sign-up (and the waitlist), sign-in, tokens, email verification and passwords.' },
  { name: 'two-factor', description: 'An authenticator app (TOTP) as a second factor, and its recovery codes.' },
  { name: 'users', description: 'The signed-in account: profile, sessions, security history.' },
  { name: 'oauth', description: "The account pages' side of the OpenID Connect provider: its sign-in and consent steps (docs/oidc.md)." },
  { name: 'tokens', description: 'Keys for verifying access tokens.' },
  { name: 'admin', description: 'For accounts with the admin role.' },
  { name: 'health', description: 'Public status of dependencies clients notice.' },
  { name: 'webhooks', description: 'Called by email providers, not by clients.' },
];

/** The document's own version: its minor grows with each compatible addition, /v1 stays. */
export const API_VERSION = '1.0.0';

const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };
const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * Requests are described as what the service accepts (io 'input': fields with a default are
 * optional); responses as what it sends (io 'output': objects list every member they may have, so
 * a field a service adds without documenting it fails the suite's validation).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonObject;
  return rest;
}

/** Codes an operation can give because of its kind, besides its own. */
function implicitErrors(op: Operation): ProblemCode[] {
  const codes: ProblemCode[] = [];
  if (op.body) codes.push('validation_failed', 'payload_too_large', 'unsupported_media_type');
  if (op.body?.json) codes.push('malformed_json');
  if (op.query || op.params) codes.push('validation_failed');
  // The gateway checks tokens against identity's keys: when it cannot fetch them it answers 503. It
  // also counts each signed-in user's requests against a monthly quota.
  if (op.security !== 'none') codes.push('unauthorized', 'service_unavailable', 'quota_exceeded');
  if (op.security === 'admin') codes.push('forbidden');
  // An access token from the OpenID Connect provider reaches only the operations its scopes name.
  if (op.security !== 'none') codes.push('insufficient_scope');
  // Every path has the gateway's default rate limit and goes through its proxy.
  codes.push('rate_limited', 'internal_error', 'bad_gateway', 'gateway_timeout');
  return codes;
}

const HEADERS_BY_STATUS: Record<number, NonNullable<OpenApiResponse['headers']>> = {
  401: {
    'WWW-Authenticate': {
      description:
        'The Bearer challenge (RFC 6750); with `error="invalid_token"` when the token sent is malformed, forged, expired or not for this API.',
      required: true,
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': { description: 'Seconds until the limit opens again.', required: true, schema: { type: 'integer', minimum: 1 } },
    RateLimit: {
      description: 'Remaining quota and reset time (IETF RateLimit header fields, draft 8).',
      required: true,
      schema: { type: 'string' },
    },
    'RateLimit-Policy': { description: 'The limit that applies: quota and window.', required: true, schema: { type: 'string' } },
  },
};

/**
 * A limit a service keeps itself (one data export a day) says when to come back, but has no quota
 * window for the gateway's RateLimit fields to describe: they are there only when the gateway refused.
 */
const SERVICE_LIMITS: ReadonlySet<ProblemCode> = new Set(['export_limit_reached']);

function headersOf(status: number, codes: readonly ProblemCode[]): OpenApiResponse['headers'] {
  const headers = HEADERS_BY_STATUS[status];
  if (!headers || !codes.some((code) => SERVICE_LIMITS.has(code))) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, header]) => [name, name === 'Retry-After' ? header : { ...header, required: false }]),
  );
}

function problemResponses(op: Operation): Map<number, OpenApiResponse> {
  const byStatus = new Map<number, Set<ProblemCode>>();
  for (const code of [...(op.errors ?? []), ...implicitErrors(op)]) {
    const status = PROBLEM_STATUS[code];
    byStatus.set(status, (byStatus.get(status) ?? new Set()).add(code));
  }
  const responses = new Map<number, OpenApiResponse>();
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const list = [...codes].sort();
    responses.set(status, {
      description: `Problem details with \`code\` ${list.map((c) => `\`${c}\``).join(', ')}.`,
      ...(HEADERS_BY_STATUS[status] ? { headers: headersOf(status, list) } : {}),
      content: {
        [PROBLEM_MEDIA_TYPE]: { schema: { allOf: [PROBLEM_REF, { properties: { status: { const: status }, code: { enum: list } } }] } },
      },
    });
  }
  return responses;
}

function parameters(schema: z.ZodObject | undefined, where: 'query' | 'path'): JsonObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBody(body: NonNullable<Operation['body']>): NonNullable<OpenApiOperation['requestBody']> {
  const content: Record<string, { schema: JsonObject }> = {};
  if (body.json) content['application/json'] = { schema: jsonSchema(body.json, 'input') };
  if (body.form) content['application/x-www-form-urlencoded'] = { schema: jsonSchema(body.form, 'input') };
  for (const [mediaType, schema] of Object.entries(body.raw ?? {})) content[mediaType] = { schema: jsonSchema(schema, 'input') };
  return { required: body.required ?? true, content };
}

function operationObject(op: Operation): OpenApiOperation {
  const responses: Record<string, OpenApiResponse> = {};
  for (const [status, response] of Object.entries(op.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, h]) => [
                name,
                { ...h, required: h.required ?? false, schema: { type: 'string' } },
              ]),
            ),
          }
        : {}),
      ...(response.body ? { content: { 'application/json': { schema: jsonSchema(response.body, 'output') } } } : {}),
    };
  }
  for (const [status, problem] of problemResponses(op)) {
    const existing = responses[status];
    // A status that is an answer (503 from /health/email) and a problem at once accepts either body.
    responses[status] = existing ? { ...existing, content: { ...existing.content, ...problem.content } } : problem;
  }
  const params = [...parameters(op.params, 'path'), ...parameters(op.query, 'query')];
  const description = [op.description, op.security === 'admin' ? 'Requires the admin role.' : undefined].filter(Boolean).join(' ');
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(description ? { description } : {}),
    tags: op.tags,
    security: op.security === 'none' ? [] : [{ bearer: [] }],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(op.body ? { requestBody: requestBody(op.body) } : {}),
    responses,
    ...(op.rateLimit ? { 'x-rate-limit': op.rateLimit } : {}),
    ...(op.providerScopes ? { 'x-provider-scopes': [...op.providerScopes] } : {}),
  };
}

/** The public API as OpenAPI 3.1, built from the operations registry (the gateway builds it once, at start). */
export function openApiDocument(options: { version?: string; operations?: readonly Operation[] } = {}): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const op of options.operations ?? httpOperations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`Two operations for ${op.method.toUpperCase()} ${op.path}`);
    item[op.method] = operationObject(op);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Solar Accounts API',
      version: options.version ?? API_VERSION,
      description:
        'Sign-up, sign-in, sessions and account management for Solar Intelligence. Errors are RFC 9457 problem details ' +
        '(`application/problem+json`) with a stable `code`. Every path is rate limited; a 429 says when to come back.',
    },
    servers: [{ url: '/v1' }],
    tags: TAGS,
    paths,
    components: {
      schemas: { Problem: jsonSchema(Problem, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /auth/login.' },
      },
    },
  };
}
