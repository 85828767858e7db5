import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { problemOf, type Logger, type Problem } from '@solar/chassis';
import { readBody, writeBufferedBody } from '../http/buffered-body';

export interface UpstreamOptions {
  name: string;
  target: string;
  timeoutMs: number;
  /** The most a retryable request's body may hold: it is kept in memory to be sent twice. */
  bodyLimitBytes: number;
  logger: Logger;
  /** Pass an upstream's own 5xx answers on (web's error pages are for people), instead of a 502 problem. */
  passServerErrors?: boolean;
}

/** Methods whose repetition changes nothing more than their first run (RFC 9110 §9.2.2); POST and PATCH are not. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** The upstream refused the connection or dropped it before answering: a restart, a stale keep-alive socket. */
const RETRYABLE = new Set(['ECONNREFUSED', 'ECONNRESET']);
/** Connection-level headers of the upstream hop; Node writes the client's own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade', 'trailer', 'te']);

type ProxiedRequest = IncomingMessage & { bufferedBody?: Buffer };

/**
 * Streams requests to a service. An upstream that refuses or breaks the connection answers 502, one
 * that is too slow 504: always problem+json, never a hang or an internal detail. An idempotent request
 * whose connection is refused or reset before any response byte is tried once more; its body, if it
 * has one, is read first so it can be sent again. An upstream failure (5xx) that is not a problem
 * document (a crashed process, a proxy's HTML page, a stack trace) is replaced by a plain 502 problem.
 */
export function upstreamProxy(options: UpstreamOptions): RequestHandler {
  const startedAt = new WeakMap<IncomingMessage, number>();
  const retried = new WeakSet<IncomingMessage>();
  // http-proxy reports its own timeout as a reset connection; only the elapsed time tells them apart.
  const timedOut = (error: Error, req: IncomingMessage) =>
    (error as NodeJS.ErrnoException).code === 'ECONNRESET' && Date.now() - (startedAt.get(req) ?? Date.now()) >= options.timeoutMs - 50;
  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: options.target,
    // Without a keep-alive agent every request opens a new upstream connection, and the upstream's
    // `connection: close` answer would close the client's connection as well.
    agent: new Agent({ keepAlive: true, maxSockets: 512 }),
    xfwd: true,
    proxyTimeout: options.timeoutMs,
    selfHandleResponse: true,
    on: {
      proxyReq: (proxyReq, req) => writeBufferedBody(proxyReq, req as ProxiedRequest),
      proxyRes: (proxyRes, _req, res) => {
        const status = proxyRes.statusCode ?? 502;
        if (
          status >= 500 &&
          !options.passServerErrors &&
          !String(proxyRes.headers['content-type'] ?? '').startsWith('application/problem+json')
        ) {
          proxyRes.resume();
          options.logger.warn({ upstream: options.name, status }, 'upstream failed without a problem document; answering 502');
          respond(res, problemOf('bad_gateway', `The ${options.name} service failed`));
          return;
        }
        res.statusCode = status;
        for (const [name, value] of Object.entries(proxyRes.headers))
          if (value !== undefined && !HOP_BY_HOP.has(name) && name !== 'x-powered-by') res.setHeader(name, value);
        proxyRes.pipe(res);
      },
      error: (error, req, res) => {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (
          !timedOut(error, req) &&
          RETRYABLE.has(code) &&
          IDEMPOTENT.has(req.method ?? '') &&
          !retried.has(req) &&
          'writeHead' in res &&
          !res.headersSent
        ) {
          retried.add(req);
          options.logger.info({ err: error.message, upstream: options.name, method: req.method }, 'retrying an idempotent request once');
          send(req, res);
          return;
        }
        const problem = timedOut(error, req)
          ? problemOf('gateway_timeout', `The ${options.name} service did not answer in time`)
          : problemOf('bad_gateway', `The ${options.name} service is unavailable`);
        options.logger.warn({ err: error, upstream: options.name, url: req.url }, 'upstream request failed');
        respond(res, problem);
      },
    },
  });
  const send = (req: IncomingMessage, res: ServerResponse) => {
    startedAt.set(req, Date.now());
    void proxy(req, res, () => undefined);
  };
  return async (req, res, next) => {
    if (IDEMPOTENT.has(req.method) && hasBody(req) && !(req as ProxiedRequest).bufferedBody) {
      if (!(await readBody(req as Request, res as Response, options.bodyLimitBytes))) return;
    }
    startedAt.set(req, Date.now());
    void proxy(req, res, next);
  };
}

const hasBody = (req: IncomingMessage) => req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function respond(res: ServerResponse | Socket, problem: Problem): void {
  if (!('writeHead' in res) || res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(problem.status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify(problem));
}
