import type { Request, RequestHandler } from 'express';
import type { Metrics } from './metrics';

/** The label of a request no route answered (404s, scans): one series for them all, whatever the path. */
export const UNMATCHED_ROUTE = 'unmatched';
export const OTHER_METHOD = 'OTHER';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Labels from the client's hands, bounded: anything outside the known methods counts as one. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : OTHER_METHOD;
}

/**
 * The route template Express matched (`/users/me/sessions/:id`), under the mount path of its router,
 * never the raw path: ids and scanners' paths would make a series per request.
 */
export function routeTemplate(req: Pick<Request, 'baseUrl'> & { route?: { path?: unknown } }): string | undefined {
  const path = req.route?.path;
  if (typeof path !== 'string') return undefined;
  const joined = `${req.baseUrl ?? ''}${path === '/' && req.baseUrl ? '' : path}`;
  return joined || '/';
}

export interface HttpMetricsOptions {
  /**
   * The route of a request no Express route matched, such as the gateway's proxied paths, which it
   * labels by its public API's templates; undefined counts it as unmatched.
   */
  routeOf?: (req: Request) => string | undefined;
}

/** Every answer's duration by method, route template and status, measured until the response is sent. */
export function httpMetrics(metrics: Metrics, options: HttpMetricsOptions = {}): RequestHandler {
  const durations = metrics.histogram({
    name: 'solar_http_request_duration_seconds',
    help: 'Time from a request arriving to its response being sent, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
  });
  return (req, res, next) => {
    const end = durations.startTimer();
    // Read when Express assigns the route, inside its router: once an error leaves a router mounted
    // under a path, Express has already put `baseUrl` back, and the template would lose its prefix.
    let route: unknown;
    let template: string | undefined;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: unknown) => {
        route = value;
        template = routeTemplate({ baseUrl: req.baseUrl, route: value as { path?: unknown } });
      },
    });
    res.once('finish', () => {
      end({
        method: methodLabel(req.method),
        route: template ?? options.routeOf?.(req) ?? UNMATCHED_ROUTE,
        status: String(res.statusCode),
      });
    });
    next();
  };
}
