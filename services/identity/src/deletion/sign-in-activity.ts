import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository } from '../users/user.repository';
import { deletionCancelledEvents } from './pending-deletion';

export interface SignInActivity {
  /** Called once a sign-in has succeeded, every factor checked, before its session opens. */
  signedIn(user: { id: string }, context: RequestContext, at: Date): Promise<void>;
}

/**
 * A sign-in proves the account is in use: it resets the inactivity clock, and cancels a deletion that
 * inactivity started. A deletion its owner asked for stays: signing in is not changing one's mind.
 */
export function signInActivity(deps: {
  users: Pick<UserRepository, 'recordSignIn' | 'findById' | 'cancelDeletion'>;
  audit: Pick<AuditLog, 'record'>;
}): SignInActivity {
  return {
    async signedIn(user, context, at) {
      const pending = await deps.users.recordSignIn(user.id, at);
      if (pending?.reason !== 'inactivity' || pending.purgeStartedAt) return;
      const account = await deps.users.findById(user.id);
      if (!account) return;
      if (!(await deps.users.cancelDeletion(account.id, pending.requestId, deletionCancelledEvents(account, pending.requestId, at))))
        return;
      await deps.audit.record({
        userId: account.id,
        action: 'deletion_cancelled',
        outcome: 'success',
        context,
        details: { deletionRequestId: pending.requestId, by: 'sign_in' },
      });
    },
  };
}
