import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { ensureNotLastAdmin } from './last-admin';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { Role } from '../users/user.model';
import type { UserRepository } from '../users/user.repository';

export type RoleChange = 'grant' | 'revoke';

/**
 * Grants or revokes the admin role. Access tokens carry roles, so the change reaches requests with
 * the next access token the account is issued (at the latest when the current one expires, or at
 * once on its next sign-in or refresh), not with tokens already in hand. Only a verified address is
 * granted the role. Revoking it from the last active admin is refused (`last_admin`). The CLI names
 * the account by address; the admin API by id, and names the acting admin in the audit entry.
 */
export function setAdminRole(deps: {
  users: Pick<UserRepository, 'findByEmail' | 'findById' | 'replaceRoles' | 'otherActiveAdmins'>;
  audit: Pick<AuditLog, 'record'>;
}) {
  return async (input: {
    account: { email: string } | { id: string };
    change: RoleChange;
    context: RequestContext;
    adminId?: string;
  }): Promise<{ userId: string; changed: boolean }> => {
    const user = 'email' in input.account ? await deps.users.findByEmail(input.account.email) : await deps.users.findById(input.account.id);
    const named = 'email' in input.account ? `the address ${input.account.email}` : 'this id';
    if (!user) throw new AppError('not_found', `No account has ${named}`);
    // Whoever registered the address first holds this account, whether or not they hold the mailbox:
    // until they have followed the verification link, it may be a squatter's.
    if (input.change === 'grant' && !user.emailVerifiedAt) {
      throw new AppError('forbidden', `The address ${user.email} is not verified yet: the admin role waits for its verification`);
    }
    if (input.change === 'revoke') await ensureNotLastAdmin(deps.users, user);
    const roles =
      input.change === 'grant' ? [...new Set([...user.roles, 'admin' as const])] : user.roles.filter((role) => role !== 'admin');
    const changed =
      roles.length !== user.roles.length &&
      (await deps.users.replaceRoles(user.id, user.roles, roles, [rolesChanged(user.id, user.roles, roles)]));
    await deps.audit.record({
      userId: user.id,
      action: input.change === 'grant' ? 'role_granted' : 'role_revoked',
      outcome: 'success',
      context: input.context,
      details: { role: 'admin', changed, ...(input.adminId ? { adminId: input.adminId } : {}) },
    });
    return { userId: user.id, changed };
  };
}

function rolesChanged(userId: string, before: Role[], after: Role[]) {
  return createEvent('RolesChanged', {
    source: '/identity',
    subject: userId,
    data: {
      userId,
      roles: after,
      granted: after.filter((role) => !before.includes(role)),
      revoked: before.filter((role) => !after.includes(role)),
    },
  });
}
