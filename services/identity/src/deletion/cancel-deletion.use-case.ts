import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository } from '../users/user.repository';
import { deletionCancelledEvents } from './pending-deletion';

export interface CancelDeletionDeps {
  users: Pick<UserRepository, 'findById' | 'cancelDeletion'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

const nothingPending = () => new AppError('conflict', 'No deletion of this account is pending', { reason: 'no_pending_deletion' });

/** Keeps the account: clears the pending deletion, announces it, and tells the owner by email. */
export function cancelDeletion(deps: CancelDeletionDeps) {
  return async (input: { userId: string; context: RequestContext }): Promise<void> => {
    const user = await deps.users.findById(input.userId);
    if (!user) throw new AppError('unauthorized', 'The account no longer exists');
    const deletion = user.deletion;
    if (!deletion || deletion.reason === 'unverified') throw nothingPending();
    if (deletion.purgeStartedAt) throw new AppError('conflict', 'The account is already being deleted', { reason: 'purge_started' });

    const now = deps.clock();
    // Conditional on this very request and on no purge having begun: a purge that starts meanwhile wins.
    if (!(await deps.users.cancelDeletion(user.id, deletion.requestId, deletionCancelledEvents(user, deletion.requestId, now)))) {
      throw nothingPending();
    }
    await deps.audit.record({
      userId: user.id,
      action: 'deletion_cancelled',
      outcome: 'success',
      context: input.context,
      details: { deletionRequestId: deletion.requestId, by: 'owner' },
    });
  };
}
