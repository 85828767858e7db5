import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository } from '../users/user.repository';
import { resetCancelledEmail } from './two-factor-reset-emails';
import type { TwoFactorRepository } from './two-factor.repository';

export interface CancelTwoFactorResetDeps {
  twoFactor: Pick<TwoFactorRepository, 'cancelReset'>;
  users: Pick<UserRepository, 'findById'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

/**
 * Cancels a pending two-factor reset from any live session of the account. No password or code is
 * asked: the owner who lost the factor may have nothing but a session left on some device, and
 * whoever holds a session gains nothing by keeping two-factor on.
 */
export function cancelTwoFactorReset(deps: CancelTwoFactorResetDeps) {
  return async (input: { userId: string; context: RequestContext }): Promise<void> => {
    const user = await deps.users.findById(input.userId);
    if (!user) throw new AppError('unauthorized', 'The account no longer exists');
    const now = deps.clock();
    const cancelled = createEvent('TwoFactorResetCancelled', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { userId: user.id },
    });
    if (!(await deps.twoFactor.cancelReset(user.id, [cancelled, resetCancelledEmail(user, now)]))) {
      throw new AppError('conflict', 'No two-factor reset is pending');
    }
    await deps.audit.record({ userId: user.id, action: 'two_factor_reset_cancelled', outcome: 'success', context: input.context });
  };
}
