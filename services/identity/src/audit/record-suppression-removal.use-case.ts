import type { EmailSuppressionRemovedV1 } from '@solar/contracts';
import { SYSTEM_CONTEXT } from '../deletion/purge-account.use-case';
import type { UserRepository } from '../users/user.repository';
import type { AuditLog } from './audit-log';

/**
 * Notification let email go to an address again: the account that holds the address gets an entry
 * naming the admin, so its audit log tells of every admin action on it. Keyed by the event's id, so
 * a redelivered event records nothing twice. No account holds it: nothing to record here
 * (notification's removal record keeps it).
 */
export function recordSuppressionRemoval(deps: { users: Pick<UserRepository, 'findByEmail'>; audit: Pick<AuditLog, 'record'> }) {
  return async (input: { eventId: string; data: EmailSuppressionRemovedV1 }): Promise<'recorded' | 'no_account'> => {
    const user = await deps.users.findByEmail(input.data.email.toLowerCase());
    if (!user) return 'no_account';
    await deps.audit.record({
      id: input.eventId,
      userId: user.id,
      action: 'email_suppression_removed',
      outcome: 'success',
      context: SYSTEM_CONTEXT,
      details: { adminId: input.data.removedBy, email: input.data.email, suppressedFor: input.data.suppressedFor },
    });
    return 'recorded';
  };
}
