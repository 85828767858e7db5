import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestHandler } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { problemOf, type Logger, type Problem } from '@solar/chassis';
import { writeBufferedBody } from '../http/buffered-body';

export interface UpstreamOptions {
  name: string;
  target: string;
  timeoutMs: number;
  logger: Logger;
}

/**
 * Streams requests to a service, bodies untouched. An upstream that refuses or breaks the connection
 * answers 502, one that is too slow 504: always problem+json, never a hang or an internal detail.
 */
export function upstreamProxy(options: UpstreamOptions): RequestHandler {
  const startedAt = new WeakMap<IncomingMessage, number>();
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
    on: {
      proxyReq: (proxyReq, req) => writeBufferedBody(proxyReq, req as IncomingMessage & { bufferedBody?: Buffer }),
      error: (error, req, res) => {
        const problem = timedOut(error, req)
          ? problemOf('gateway_timeout', `The ${options.name} service did not answer in time`)
          : problemOf('bad_gateway', `The ${options.name} service is unavailable`);
        options.logger.warn({ err: error, upstream: options.name, url: req.url }, 'upstream request failed');
        respond(res, problem);
      },
    },
  });
  return (req, res, next) => {
    startedAt.set(req, Date.now());
    void proxy(req, res, next);
  };
}

function respond(res: ServerResponse | Socket, problem: Problem): void {
  if (!('writeHead' in res) || res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(problem.status, { 'content-type': 'application/problem+json' });
  res.end(JSON.stringify(problem));
}
