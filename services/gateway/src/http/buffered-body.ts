import type { ClientRequest } from 'node:http';
import type { Request, Response } from 'express';
import { problemOf, sendProblem } from '@solar/chassis';

declare module 'express-serve-static-core' {
  interface Request {
    /** The body the gateway had to read (CAPTCHA routes, retried requests); the proxy forwards these bytes. */
    bufferedBody?: Buffer;
  }
}

/**
 * Reads a request body into memory, up to `maxBytes`, and keeps it on `req.bufferedBody` for the proxy.
 * Over the limit (a chunked body announces no length) → 413 and the connection closes; a client that
 * goes away mid-body gets nothing. Returns undefined in both cases: the request is answered.
 */
export function readBody(req: Request, res: Response, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (body: Buffer | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      req.pause();
      res.setHeader('connection', 'close');
      sendProblem(res, { ...problemOf('payload_too_large', `The request body exceeds ${maxBytes} bytes`), instance: req.originalUrl });
      done(undefined);
    };
    const onEnd = () => {
      req.bufferedBody = Buffer.concat(chunks);
      done(req.bufferedBody);
    };
    const onError = () => done(undefined);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * For the proxy's `proxyReq` event: a body the gateway already read is written to the upstream
 * request (the request stream itself is spent), with its exact length.
 */
export function writeBufferedBody(proxyReq: ClientRequest, req: { bufferedBody?: Buffer }): void {
  const body = req.bufferedBody;
  if (!body) return;
  proxyReq.removeHeader('transfer-encoding');
  proxyReq.setHeader('content-length', String(body.length));
  proxyReq.write(body);
}
