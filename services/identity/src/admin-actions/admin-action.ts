import type { AuditAction } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository, UserSummary } from '../users/user.repository';

/** Who acts on which account, from where: every admin action takes this. */
export interface AdminAction {
  userId: string;
  adminId: string;
  context: RequestContext;
}

/** The account an action names; a purge under way counts as gone. */
export async function targetOf(users: Pick<UserRepository, 'findById'>, userId: string): Promise<UserSummary> {
  const user = await users.findById(userId);
  if (!user || user.deletion?.purgeStartedAt) throw new AppError('not_found', 'No account has this id');
  return user;
}

/** The action's entry in the account's audit log, naming the admin who took it. */
export function recordAdminAction(
  audit: Pick<AuditLog, 'record'>,
  action: AuditAction,
  input: AdminAction,
  details: NonNullable<AuditRecord['details']> = {},
): Promise<void> {
  return audit.record({
    userId: input.userId,
    action,
    outcome: 'success',
    context: input.context,
    details: { adminId: input.adminId, ...details },
  });
}
