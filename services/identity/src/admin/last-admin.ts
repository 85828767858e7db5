import { AppError } from '@solar/chassis';
import type { UserRepository, UserSummary } from '../users/user.repository';

/**
 * Refuses a change that takes an admin out of action (its role revoked, disabled, deleted) when no
 * other admin could act afterwards: nobody could then undo it through the API. Two admins removing
 * each other at the same instant can still both pass; the CLI (admin:role) is the way back then.
 */
export async function ensureNotLastAdmin(users: Pick<UserRepository, 'otherActiveAdmins'>, target: UserSummary): Promise<void> {
  if (!target.roles.includes('admin')) return;
  if ((await users.otherActiveAdmins(target.id)) === 0)
    throw new AppError('last_admin', 'This is the last active admin: make another admin first');
}
