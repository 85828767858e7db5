import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { SessionRepository, SessionView } from './session.repository';

export interface SessionDeps {
  sessions: Pick<SessionRepository, 'revoke' | 'revokeAll' | 'listActive'>;
  audit: Pick<AuditLog, 'record'>;
}

export function logout(deps: SessionDeps) {
  return async (input: { userId: string; sessionId: string; all: boolean; context: RequestContext }): Promise<{ revoked: number }> => {
    if (input.all) {
      const revoked = await deps.sessions.revokeAll(input.userId, 'logout_all');
      await deps.audit.record({
        userId: input.userId,
        action: 'logout_all',
        outcome: 'success',
        context: input.context,
        details: { revoked },
      });
      return { revoked };
    }
    const revoked = (await deps.sessions.revoke(input.sessionId, input.userId, 'logout')) ? 1 : 0;
    await deps.audit.record({
      userId: input.userId,
      action: 'logout',
      outcome: 'success',
      context: input.context,
      details: { sessionId: input.sessionId },
    });
    return { revoked };
  };
}

export function listSessions(deps: Pick<SessionDeps, 'sessions'>) {
  return (userId: string): Promise<SessionView[]> => deps.sessions.listActive(userId);
}

/** Someone else's session id gets the same 404 as one that never existed. */
export function revokeSession(deps: SessionDeps) {
  return async (input: { userId: string; sessionId: string; context: RequestContext }): Promise<void> => {
    if (!(await deps.sessions.revoke(input.sessionId, input.userId, 'revoked_by_user'))) {
      throw new AppError('not_found', 'No such session');
    }
    await deps.audit.record({
      userId: input.userId,
      action: 'session_revoked',
      outcome: 'success',
      context: input.context,
      details: { sessionId: input.sessionId },
    });
  };
}
