import type { RequestHandler } from 'express';
import { httpOperations, type Operation } from '@solar/contracts';
import { problemOf, sendProblem } from '@solar/chassis';

interface Resource {
  pattern: RegExp;
  methods: Set<string>;
}

/** One entry per path of the API, with the methods its operations declare. */
function resourcesOf(operations: readonly Pick<Operation, 'method' | 'path'>[]): Resource[] {
  const byPath = new Map<string, Resource>();
  for (const { method, path } of operations) {
    let resource = byPath.get(path);
    if (!resource) {
      const source = path
        .split(/\{[^}]+\}/)
        .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      // As Express and the services match paths: in any case, with or without a trailing slash.
      resource = { pattern: new RegExp(`^${source}/?$`, 'i'), methods: new Set() };
      byPath.set(path, resource);
    }
    resource.methods.add(method.toUpperCase());
    // Express answers HEAD wherever it answers GET.
    if (method === 'get') resource.methods.add('HEAD');
  }
  return [...byPath.values()];
}

/**
 * For a path under /v1, the methods the API declares on it (sorted), or null when the path is none
 * of the API's. A path parameter matches any value in its segment.
 */
export function allowedMethodsOf(operations: readonly Pick<Operation, 'method' | 'path'>[]): (path: string) => string[] | null {
  const resources = resourcesOf(operations);
  return (path) => {
    const methods = resources.filter((resource) => resource.pattern.test(path)).flatMap((resource) => [...resource.methods]);
    return methods.length > 0 ? [...new Set(methods)].sort() : null;
  };
}

/**
 * 405 with `Allow` (RFC 9110 §15.5.6) for a method the API does not declare on one of its paths,
 * answered here rather than passed to a service, whose router knows only its own routes and would
 * say 404. OPTIONS passes: CORS preflights are answered (or refused) before this. Paths outside the
 * API pass too, so the services' own 404 stays the answer for them.
 */
export function methodNotAllowed(operations: readonly Pick<Operation, 'method' | 'path'>[] = httpOperations): RequestHandler {
  const allowedMethods = allowedMethodsOf(operations);
  return (req, res, next) => {
    const allow = req.method === 'OPTIONS' ? null : allowedMethods(req.path);
    if (!allow || allow.includes(req.method)) return next();
    res.setHeader('allow', allow.join(', '));
    sendProblem(res, {
      ...problemOf('method_not_allowed', `${req.method} is not an operation of this path; it takes ${allow.join(', ')}`),
      instance: req.originalUrl,
    });
  };
}
