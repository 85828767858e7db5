import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { pinoHttp } from 'pino-http';
import { ZodError } from 'zod';
import type { Logger } from '../logger';
import { httpMetrics, type HttpMetricsOptions } from '../metrics/http-metrics';
import type { Metrics } from '../metrics/metrics';
import { reportError } from '../telemetry/error-tracking';
import { AppError } from './app-error';
import { isDatabaseUnavailable } from '../mongo/database-unavailable';
import type { Health } from './health';
import { problemFromError, problemOf, sendProblem, validationProblem } from './problem';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface HttpAppOptions {
  logger: Logger;
  health: Health;
  /** Largest JSON or form body accepted; larger ones answer 413 before any handler runs. */
  bodyLimit?: string;
  /** Express's trust-proxy setting, so `req.ip` is the client behind trusted hops only. */
  trustProxy?: string | boolean | number;
  /** False for a proxy, which streams bodies on untouched. */
  parseBodies?: boolean;
  /**
   * Path prefixes whose bodies reach the routes as the exact bytes received (a Buffer in `req.body`,
   * whatever the content type), for webhooks whose signatures cover the raw body; with their own
   * limit, since providers batch events into bodies larger than an API request (default: bodyLimit).
   */
  rawBody?: { paths: string[]; limit?: string };
  /** Run on every request, health checks included, before any body is read (a gateway's security headers, CORS). */
  early?: RequestHandler[];
  /** The service's registry: every answer's duration is recorded there by method, route template and status. */
  metrics?: Metrics;
  /** How requests no Express route matched are labelled (the gateway's proxied routes). */
  routeOf?: HttpMetricsOptions['routeOf'];
  /** Adds the service's routes between the standard middleware and the error handlers. */
  routes: (app: Express) => void;
}

/** The Express app every service runs: request ids, logs, body limits, health, and problem+json errors. */
export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  if (options.metrics) app.use(httpMetrics(options.metrics, options.routeOf ? { routeOf: options.routeOf } : {}));
  app.use(requestLogging(options.logger));
  for (const handler of options.early ?? []) app.use(handler);
  if (options.parseBodies !== false) {
    // Before the parsers below, which then see a body already read and leave it as it is.
    const raw = express.raw({ type: () => true, limit: options.rawBody?.limit ?? options.bodyLimit ?? '100kb' });
    for (const path of options.rawBody?.paths ?? []) app.use(path, raw);
    app.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
    app.use(express.urlencoded({ extended: false, limit: options.bodyLimit ?? '100kb' }));
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });
  // Status only, and at most one round of checks a second: the public port is anyone's, and the
  // checks' details and errors (hosts, driver messages) are for operators, on the metrics port.
  app.get('/readyz', async (_req, res) => {
    const ready = await options.health.status();
    res
      .status(ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: ready ? 'ready' : 'not_ready' });
  });
  options.routes(app);
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}

function requestLogging(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      // Rewritten on the request too, so a proxy passes the same id to the service behind it.
      req.headers['x-request-id'] = id;
      res.setHeader('x-request-id', id);
      return id;
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    // Only what identifies a request: query strings and headers can carry credentials a client put
    // where it should not (`?password=`, `?access_token=`), and redaction by field name cannot know them all.
    serializers: {
      req: (req: { id: unknown; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
        userAgent: req.headers['user-agent'],
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

const notFound: RequestHandler = (req, res) => {
  sendProblem(
    res,
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- req.id is genReqId's UUID string; pino-http types it wider
    problemOf('not_found', `No route for ${req.method} ${req.path}`, { instance: req.originalUrl, requestId: String(req.id ?? '') }),
  );
};

/** Body-parser failures carry a `type`; they are the client's fault and get their own codes. */
function bodyParserProblem(error: unknown) {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large') return problemOf('payload_too_large', 'The request body exceeds the size limit');
  if (type === 'entity.parse.failed') return problemOf('malformed_json', 'The request body is not valid JSON');
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return problemOf('unsupported_media_type', 'The body encoding or charset is not supported');
  }
  if (type === 'request.aborted') return problemOf('validation_failed', 'The request was aborted before its body arrived');
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (typeof type === 'string' && expose === true && typeof status === 'number' && status >= 400 && status < 500) {
    return problemOf(
      status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'validation_failed',
      'The request body could not be read',
    );
  }
  return null;
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Once the response has started, Express's own handler is the only one that can end it cleanly.
    if (res.headersSent) return next(error);
    const problem =
      error instanceof AppError ? problemFromError(error) : error instanceof ZodError ? validationProblem(error) : bodyParserProblem(error);
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- req.id is genReqId's UUID string; pino-http types it wider
    const requestId = String(req.id ?? '');
    if (problem) {
      sendProblem(res, { ...problem, instance: req.originalUrl, requestId });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      (req.log ?? logger).warn({ err: error, requestId }, 'database unavailable');
      const unavailable = problemOf('service_unavailable', 'The service cannot reach its database right now; try again shortly', {
        retryAfterSeconds: 5,
      });
      sendProblem(res, { ...unavailable, instance: req.originalUrl, requestId });
      return;
    }
    (req.log ?? logger).error({ err: error, requestId }, 'unexpected error');
    reportError(error, { tags: { kind: 'http', request_id: requestId }, extra: { method: req.method, path: req.path } });
    sendProblem(res, { ...problemOf('internal_error', 'Something went wrong on our side'), instance: req.originalUrl, requestId });
  };
}
