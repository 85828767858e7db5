import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

export const SessionParams = z.object({ id: z.uuid() });

/** A live session as anyone shown it sees it; the owner's own list also marks the one asking. */
export const SessionEntry = z.object({
  id: z.string(),
  userAgent: z.string(),
  ip: z.string(),
  createdAt: IsoTime,
  lastUsedAt: IsoTime,
  expiresAt: IsoTime,
});
const Session = SessionEntry.extend({ current: z.boolean().describe('True for the session of the token that asked.') });
export const SessionList = z.object({ sessions: z.array(Session) });
export type SessionList = z.infer<typeof SessionList>;

export const sessionsOperations = defineOperations([
  {
    operationId: 'listSessions',
    method: 'get',
    path: '/users/me/sessions',
    service: 'identity',
    summary: "The signed-in account's live sessions",
    tags: ['users'],
    security: 'bearer',
    responses: { 200: { description: 'Live sessions, one per signed-in device.', body: SessionList } },
  },
  {
    operationId: 'revokeSession',
    method: 'delete',
    path: '/users/me/sessions/{id}',
    service: 'identity',
    summary: 'End one session of the signed-in account',
    tags: ['users'],
    security: 'bearer',
    params: SessionParams,
    responses: { 204: { description: 'The session has ended.' } },
    errors: ['not_found'],
  },
]);
