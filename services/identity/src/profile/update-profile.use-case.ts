import { createEvent, type Locale } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository, UserSummary } from '../users/user.repository';

export function updateProfile(deps: { users: Pick<UserRepository, 'updateProfile'>; audit: Pick<AuditLog, 'record'> }) {
  return async (input: {
    userId: string;
    /** Absent: unchanged; null: cleared. */
    displayName?: string | null | undefined;
    locale?: Locale | undefined;
    context: RequestContext;
  }): Promise<UserSummary> => {
    const changes = {
      ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      ...(input.locale ? { locale: input.locale } : {}),
    };
    const event = createEvent('ProfileUpdated', { source: '/identity', subject: input.userId, data: { userId: input.userId, ...changes } });
    const user = await deps.users.updateProfile(input.userId, changes, [event]);
    if (!user) throw new AppError('not_found', 'The account no longer exists');
    // One entry per field changed, so the log reads the same as before for a name change.
    if (input.displayName !== undefined) {
      await deps.audit.record({
        userId: input.userId,
        action: 'profile_updated',
        outcome: 'success',
        context: input.context,
        // The name itself stays out of the log: it is personal data the account can change or clear.
        details: { field: 'displayName', cleared: input.displayName === null },
      });
    }
    if (input.locale) {
      await deps.audit.record({
        userId: input.userId,
        action: 'profile_updated',
        outcome: 'success',
        context: input.context,
        details: { field: 'locale', locale: input.locale },
      });
    }
    return user;
  };
}
