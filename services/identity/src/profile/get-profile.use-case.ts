import { AppError } from '@solar/chassis';
import type { UserRepository, UserSummary } from '../users/user.repository';

export function getProfile(deps: { users: Pick<UserRepository, 'findById'> }) {
  return async (userId: string): Promise<UserSummary> => {
    const user = await deps.users.findById(userId);
    // A valid token for an account that is gone (purged between issue and use) finds nothing to show.
    if (!user) throw new AppError('not_found', 'The account no longer exists');
    return user;
  };
}
