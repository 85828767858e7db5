import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { ensureNotLastAdmin } from '../admin/last-admin';
import type { AuditLog } from '../audit/audit-log';
import { newPendingDeletion } from '../deletion/pending-deletion';
import type { purgeAccount } from '../deletion/purge-account.use-case';
import type { UserRepository } from '../users/user.repository';
import { recordAdminAction, targetOf, type AdminAction } from './admin-action';

/**
 * Deletes an account at once: a deletion request due now (replacing any pending one), then the
 * normal purge, so every service erases the account as after a grace period. The audit entry is
 * written before the purge, which pseudonymises it with the account's other entries.
 */
export function deleteAccountNow(deps: {
  users: Pick<UserRepository, 'findById' | 'requestImmediateDeletion' | 'otherActiveAdmins'>;
  purge: ReturnType<typeof purgeAccount>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}) {
  return async (input: AdminAction & { reason: string }): Promise<void> => {
    const user = await targetOf(deps.users, input.userId);
    await ensureNotLastAdmin(deps.users, user);
    const now = deps.clock();
    const deletion = newPendingDeletion(now, 0, 'requested');
    const requested = createEvent('DeletionRequested', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { userId: user.id, email: user.email, deletionRequestId: deletion.requestId, purgeAt: now.toISOString(), reason: 'requested' },
    });
    if (!(await deps.users.requestImmediateDeletion(user.id, deletion, [requested]))) {
      throw new AppError('conflict', 'The account is being purged already');
    }
    await recordAdminAction(deps.audit, 'deletion_by_admin', input, { reason: input.reason, deletionRequestId: deletion.requestId });
    // Cut short by a crash, the purge is finished by lifecycle's timer for this DeletionRequested (due now),
    // or by maintenance's stalled-purge task once begun.
    await deps.purge({ userId: user.id, deletionRequestId: deletion.requestId });
  };
}
