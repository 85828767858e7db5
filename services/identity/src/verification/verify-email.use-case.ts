import { createEvent } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { Redemption, UserSummary } from '../users/user.repository';

export interface VerificationStore {
  redeemToken(purpose: 'verify-email', presented: string, redemption: Redemption): Promise<UserSummary>;
}

/**
 * Marks the address verified. An address in ADMIN_EMAILS gets the admin role here and not at
 * registration: only following the emailed link shows the account holds the address, so whoever
 * registers a listed address first cannot take the role without its mailbox.
 */
export function verifyEmail(deps: {
  users: VerificationStore;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  adminEmails: ReadonlySet<string>;
}) {
  return async (input: { token: string; context: RequestContext }): Promise<UserSummary> => {
    const now = deps.clock();
    let granted = false;
    const user = await deps.users.redeemToken('verify-email', input.token, (owner) => {
      granted = deps.adminEmails.has(owner.email) && !owner.roles.includes('admin');
      return {
        set: { emailVerifiedAt: now },
        ...(granted ? { grant: ['admin' as const] } : {}),
        events: [
          createEvent('EmailVerified', {
            source: '/identity',
            subject: owner.id,
            time: now,
            data: { userId: owner.id, email: owner.email },
          }),
        ],
      };
    });
    await deps.audit.record({ userId: user.id, action: 'email_verified', outcome: 'success', context: input.context });
    if (granted) {
      await deps.audit.record({
        userId: user.id,
        action: 'role_granted',
        outcome: 'success',
        context: input.context,
        details: { role: 'admin', changed: true, reason: 'admin_emails' },
      });
    }
    return user;
  };
}
