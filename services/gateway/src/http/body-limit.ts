import type { RequestHandler } from 'express';
import { problemOf, sendProblem } from '@solar/chassis';

/**
 * Refuses bodies announced larger than the limit before proxying. Chunked bodies, which announce
 * nothing, are bounded by the service's own parser limit.
 */
export function announcedBodyLimit(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > maxBytes) {
      res.setHeader('connection', 'close');
      sendProblem(res, { ...problemOf('payload_too_large', `The request body exceeds ${maxBytes} bytes`), instance: req.originalUrl });
      return;
    }
    next();
  };
}
