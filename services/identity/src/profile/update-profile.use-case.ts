import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository, UserSummary } from '../users/user.repository';

export function updateProfile(deps: { users: Pick<UserRepository, 'setDisplayName'>; audit: Pick<AuditLog, 'record'> }) {
  return async (input: { userId: string; displayName: string | null; context: RequestContext }): Promise<UserSummary> => {
    const user = await deps.users.setDisplayName(input.userId, input.displayName);
    if (!user) throw new AppError('not_found', 'The account no longer exists');
    await deps.audit.record({
      userId: input.userId,
      action: 'profile_updated',
      outcome: 'success',
      context: input.context,
      // The name itself stays out of the log: it is personal data the account can change or clear.
      details: { field: 'displayName', cleared: input.displayName === null },
    });
    return user;
  };
}
