import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { accountDisabled } from '../users/account-disabled';
import type { UserRepository } from '../users/user.repository';
import { deletionCancelledEvents } from './pending-deletion';

export interface SignInActivity {
  /**
   * Called once a sign-in has succeeded, every factor checked, before its session opens. False when
   * the account is gone or its purge has begun: then no session may open. Throws `account_disabled`
   * for a disabled account, on every way of signing in.
   */
  signedIn(user: { id: string }, context: RequestContext, at: Date): Promise<boolean>;
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
      const before = await deps.users.recordSignIn(user.id, at);
      // After every factor passed, so the answer tells nobody without the password that the account exists.
      if (before === 'disabled') throw accountDisabled();
      // The checks before (password, second factor) may have passed just as the purge began.
      if (!before || before.deletion?.purgeStartedAt) return false;
      const pending = before.deletion;
      if (pending?.reason !== 'inactivity') return true;
      const account = await deps.users.findById(user.id);
      if (!account) return false;
      if (!(await deps.users.cancelDeletion(account.id, pending.requestId, deletionCancelledEvents(account, pending.requestId, at)))) {
        // Another sign-in cancelled it first, or the purge began meanwhile: only the latter refuses.
        const now = await deps.users.findById(user.id);
        return now !== null && !now.deletion?.purgeStartedAt;
      }
      await deps.audit.record({
        userId: account.id,
        action: 'deletion_cancelled',
        outcome: 'success',
        context,
        details: { deletionRequestId: pending.requestId, by: 'sign_in' },
      });
      return true;
    },
  };
}
