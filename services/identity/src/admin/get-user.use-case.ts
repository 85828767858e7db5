import { AppError } from '@solar/chassis';
import type { SessionRepository, SessionView } from '../sessions/session.repository';
import type { TwoFactorState } from '../two-factor/two-factor.model';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { UserSummary } from '../users/user.repository';

export interface AdminUserView {
  user: UserSummary;
  twoFactor: TwoFactorState;
  sessions: SessionView[];
}

/** One account for an admin about to act on it: what the actions change (state, roles, two-factor, sessions). */
export function getUser(deps: { twoFactor: Pick<TwoFactorRepository, 'find'>; sessions: Pick<SessionRepository, 'listActive'> }) {
  return async (userId: string): Promise<AdminUserView> => {
    const [account, sessions] = await Promise.all([deps.twoFactor.find(userId), deps.sessions.listActive(userId)]);
    if (!account) throw new AppError('not_found', 'No account has this id');
    return { user: account.user, twoFactor: account.twoFactor, sessions };
  };
}
