import { createEvent } from '@solar/contracts';
import type { Redemption, UserSummary } from '../users/user.repository';

export interface VerificationStore {
  redeemToken(purpose: 'verify-email', presented: string, redemption: Redemption): Promise<UserSummary>;
}

export function verifyEmail(deps: { users: VerificationStore; clock: () => Date }) {
  return async (input: { token: string }): Promise<UserSummary> => {
    const now = deps.clock();
    return deps.users.redeemToken('verify-email', input.token, (owner) => ({
      set: { emailVerifiedAt: now },
      events: [
        createEvent('EmailVerified', { source: '/identity', subject: owner.id, time: now, data: { userId: owner.id, email: owner.email } }),
      ],
    }));
  };
}
