import type { Operation } from './operation';
import { httpOperations } from './operations';

/** A path template (`/users/me/sessions/{id}`) as Express matches routes: any case, one trailing slash. */
export function templatePattern(template: string, prefix = ''): RegExp {
  const escaped = `${prefix}${template}`.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`, 'i');
}

const reachable = (operations: readonly Operation[]) =>
  operations
    .filter((operation) => operation.providerScopes)
    .map((operation) => ({ method: operation.method, pattern: templatePattern(operation.path), scopes: operation.providerScopes ?? [] }));

/**
 * The scopes of which an access token from the OpenID Connect provider needs one to call `method
 * path` (a path under /v1, without it), or undefined when no such token may. The gateway and
 * identity both ask here, so the table (the operations' `providerScopes`) is one. A path with an
 * encoded character or a dot segment matches nothing: a service that normalised it could otherwise
 * answer another operation than the one checked.
 */
export function providerScopesFor(
  method: string,
  path: string,
  operations: readonly Operation[] = httpOperations,
): readonly string[] | undefined {
  if (/%|\/\.\.?(\/|$)|\/\//.test(path)) return undefined;
  const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  return reachable(operations).find((entry) => entry.method === verb && entry.pattern.test(path))?.scopes;
}
