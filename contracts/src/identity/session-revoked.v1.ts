import { z } from 'zod';
import { SessionId, UserId } from '../fields';

export const SessionRevocationReason = z
  .enum(['logout', 'logout_all', 'revoked', 'password_changed', 'reset', 'reuse', 'expired'])
  .describe(
    'logout: the user signed out of this session; logout_all: of every session; revoked: the user ended one of their sessions from the list; password_changed, reset: a password change or reset ended the other sessions; reuse: a rotated refresh token was presented again; expired: the session ran out.',
  );
export type SessionRevocationReason = z.output<typeof SessionRevocationReason>;

export const SessionRevokedV1 = z.object({
  userId: UserId,
  sessionId: SessionId.describe('The session that ended; signing out everywhere publishes one event per session.'),
  reason: SessionRevocationReason,
});
export type SessionRevokedV1 = z.output<typeof SessionRevokedV1>;
