import { AppError } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { confirmPassword, type ConfirmPasswordDeps } from '../login/confirm-password';
import type { PendingDeletion } from '../users/user.model';
import type { UserRepository } from '../users/user.repository';
import { deletionRequestedEvents, newPendingDeletion } from './pending-deletion';

export interface RequestDeletionDeps extends ConfirmPasswordDeps {
  users: Pick<UserRepository, 'findById' | 'passwordHashOf' | 'requestDeletion'>;
  graceMs: number;
  cancelLink: string;
}

/**
 * Schedules the caller's account for deletion after the grace period. The password is asked again:
 * a stolen access token alone must not be enough to delete an account. Asking again while a deletion
 * is pending answers that deletion and announces nothing new (`created: false`).
 */
export function requestDeletion(deps: RequestDeletionDeps) {
  return async (input: {
    userId: string;
    password: string;
    context: RequestContext;
  }): Promise<{ deletion: PendingDeletion; created: boolean }> => {
    const [user, hash] = await Promise.all([deps.users.findById(input.userId), deps.users.passwordHashOf(input.userId)]);
    if (!user || !hash) throw new AppError('unauthorized', 'The account no longer exists');

    await confirmPassword(deps, {
      user,
      passwordHash: hash,
      password: input.password,
      context: input.context,
      action: 'deletion_requested',
    });
    if (user.deletion?.purgeStartedAt || user.deletion?.reason === 'unverified') {
      throw new AppError('conflict', 'The account is already being deleted', { reason: 'purge_started' });
    }
    if (user.deletion) return { deletion: user.deletion, created: false };

    const deletion = newPendingDeletion(deps.clock(), deps.graceMs, 'requested');
    const pending = await deps.users.requestDeletion(user.id, deletion, deletionRequestedEvents(user, deletion, deps.cancelLink));
    if (!pending) throw new AppError('unauthorized', 'The account no longer exists');
    // A concurrent request won the write: its deletion is the one pending, and it announced itself.
    if (pending.requestId !== deletion.requestId) return { deletion: pending, created: false };
    await deps.audit.record({
      userId: user.id,
      action: 'deletion_requested',
      outcome: 'success',
      context: input.context,
      details: { deletionRequestId: deletion.requestId, purgeAt: deletion.purgeAt.toISOString() },
    });
    return { deletion, created: true };
  };
}
