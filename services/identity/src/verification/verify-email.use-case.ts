import { createEvent } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { Redemption, UserSummary } from '../users/user.repository';

export interface VerificationStore {
  redeemToken(purpose: 'verify-email', presented: string, redemption: Redemption): Promise<UserSummary>;
}

export function verifyEmail(deps: { users: VerificationStore; audit: Pick<AuditLog, 'record'>; clock: () => Date }) {
  return async (input: { token: string; context: RequestContext }): Promise<UserSummary> => {
    const now = deps.clock();
    const user = await deps.users.redeemToken('verify-email', input.token, (owner) => ({
      set: { emailVerifiedAt: now },
      events: [
        createEvent('EmailVerified', { source: '/identity', subject: owner.id, time: now, data: { userId: owner.id, email: owner.email } }),
      ],
    }));
    await deps.audit.record({ userId: user.id, action: 'email_verified', outcome: 'success', context: input.context });
    return user;
  };
}
