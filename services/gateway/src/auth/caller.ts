import type { RequestHandler } from 'express';
import { AppError, bearerToken, problemFromError, sendProblem, type AccessTokenVerifier, type VerifiedCaller } from '@solar/chassis';
import { stripIdentityHeaders } from './identity-headers';
import { isPublicPath } from './public-routes';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified subject of the request's access token, on protected routes. */
    caller?: VerifiedCaller;
    /** Why a protected route has no caller; answered once the rate limits have counted the request. */
    callerRefusal?: { error: AppError; invalidToken: boolean };
  }
}

/**
 * Verifies the access token of a request to a protected route and records the outcome without
 * answering yet: the rate limits come next and count refused requests too (per user once verified,
 * per address otherwise), so a flood of forged tokens meets the same limits as any other.
 * Identity headers a client sent are dropped on every route.
 */
export function identifyCaller(verify: AccessTokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    stripIdentityHeaders(req.headers);
    if (isPublicPath(req.path)) return next();
    const header = req.get('authorization');
    const token = bearerToken(header);
    if (!token) {
      // A Bearer header that is not a token is a bad token; no header (or another scheme) is a missing one.
      req.callerRefusal = /^bearer\s/i.test(header ?? '')
        ? { error: new AppError('unauthorized', 'The access token is malformed'), invalidToken: true }
        : { error: new AppError('unauthorized', 'An access token is required'), invalidToken: false };
      return next();
    }
    try {
      req.caller = await verify(token);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      req.callerRefusal = { error, invalidToken: error.code === 'unauthorized' };
    }
    next();
  };
}

/** Answers for protected routes without a verified caller: 401 (RFC 6750 challenge), or 503 when identity's keys cannot be read. */
export const requireCaller: RequestHandler = (req, res, next) => {
  const refusal = req.callerRefusal;
  if (!refusal) return next();
  if (refusal.invalidToken) res.setHeader('www-authenticate', 'Bearer realm="solar-accounts", error="invalid_token"');
  sendProblem(res, { ...problemFromError(refusal.error), instance: req.originalUrl });
};
