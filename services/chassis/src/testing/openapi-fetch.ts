import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, OpenApiOperation, OpenApiResponse } from '@solar/contracts';

/** Paths every service serves for operators, outside the public API and its spec. */
const OPERATOR_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json', '/docs']);

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  operation: OpenApiOperation;
}

export class OpenApiMismatch extends Error {
  override readonly name = 'OpenApiMismatch';
}

/**
 * A fetch that checks every answer of the public API against the OpenAPI document: the status must
 * be one the operation documents, the content type the one documented for it, the body valid against
 * its schema and the required headers present. A mismatch rejects the call, which fails the test.
 *
 * `apiBase` is where the spec's paths start: the gateway's `/v1`, or a service's root. Calls outside
 * it are passed through unchecked; calls under it to a path the spec does not list must be refused
 * with a problem (a 404 or 405), or they are a route the spec is missing.
 */
export function validatingFetch(spec: OpenApiDocument, apiBase: string): typeof fetch {
  const base = new URL(apiBase);
  const basePath = base.pathname.replace(/\/$/, '');
  const { ajv, validatorAt } = compilerFor(spec);
  const routes = routesOf(spec);

  return async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin !== base.origin || !(url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) return response;
    const path = url.pathname.slice(basePath.length) || '/';
    if (OPERATOR_PATHS.has(path)) return response;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toLowerCase();
    const where = `${method.toUpperCase()} ${url.pathname}`;
    const body = await response.clone().text();
    const route = routes.find((r) => r.method === method && r.pattern.test(path));
    if (!route) {
      const problem = validatorAt('/components/schemas/Problem');
      if ((response.status === 404 || response.status === 405) && isProblem(response) && problem(parse(body, where))) return response;
      throw new OpenApiMismatch(`${where} answered ${response.status}, and the spec has no such operation`);
    }
    const documented: OpenApiResponse | undefined = route.operation.responses[String(response.status)];
    const pointerOf = (...parts: string[]) =>
      `/${['paths', route.template, method, 'responses', String(response.status), ...parts].map(escape).join('/')}`;
    const label = `${where} (${route.operation.operationId}) answered ${response.status}`;
    if (!documented) {
      throw new OpenApiMismatch(`${label}, which the spec does not document: ${body.slice(0, 300)}`);
    }
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && !response.headers.has(name)) throw new OpenApiMismatch(`${label} without the ${name} header`);
    }
    if (!documented.content) {
      if (body !== '') throw new OpenApiMismatch(`${label} with a body, where the spec documents none`);
      return response;
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
    if (!documented.content[mediaType]) {
      throw new OpenApiMismatch(`${label} as ${mediaType || 'no content type'}, not ${Object.keys(documented.content).join(' or ')}`);
    }
    const validate = validatorAt(pointerOf('content', mediaType, 'schema'));
    if (!validate(parse(body, label))) {
      throw new OpenApiMismatch(`${label} with a body the spec does not allow: ${ajv.errorsText(validate.errors)}\n${body.slice(0, 500)}`);
    }
    return response;
  };
}

// Compiling is the slow part: every fetch over the same document shares one compiler and its results.
const compilers = new WeakMap<OpenApiDocument, { ajv: Ajv2020; validatorAt: (pointer: string) => ValidateFunction }>();

function compilerFor(spec: OpenApiDocument) {
  let compiler = compilers.get(spec);
  if (!compiler) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // The whole document under one id, so each schema's `#/components/...` references resolve in it.
    ajv.addSchema(spec, 'openapi');
    const validators = new Map<string, ValidateFunction>();
    const validatorAt = (pointer: string) => {
      let validate = validators.get(pointer);
      if (!validate) {
        validate = ajv.compile({ $ref: `openapi#${pointer}` });
        validators.set(pointer, validate);
      }
      return validate;
    };
    compiler = { ajv, validatorAt };
    compilers.set(spec, compiler);
  }
  return compiler;
}

/** Literal paths before templated ones, so `/users/me` never matches a `/users/{id}`. */
function routesOf(spec: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [template, item] of Object.entries(spec.paths)) {
    const source = template
      .split('/')
      .map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    for (const [method, operation] of Object.entries(item))
      routes.push({ method, template, pattern: new RegExp(`^${source}$`), operation });
  }
  const params = (r: Route) => (r.template.match(/\{/g) ?? []).length;
  return routes.sort((a, b) => params(a) - params(b));
}

const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

const isProblem = (response: Response) => (response.headers.get('content-type') ?? '').startsWith('application/problem+json');

function parse(body: string, label: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new OpenApiMismatch(`${label} with a body that is not JSON: ${body.slice(0, 200)}`);
  }
}
