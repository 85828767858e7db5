import type { Request } from 'express';

/** Who is asking, as far as we can tell: recorded in the audit log and on security events. */
export interface RequestContext {
  ip: string;
  userAgent: string;
}

export function contextOf(req: Request): RequestContext {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: (req.get('user-agent') ?? '').slice(0, 1024) };
}
