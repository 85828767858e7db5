import type { TwoFactorStatus } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { pendingResetView } from './pending-reset';
import type { TwoFactorRepository } from './two-factor.repository';

/** What the owner's security settings show: two-factor on or off, codes left, and a pending reset with its time. */
export function getTwoFactorStatus(deps: { twoFactor: Pick<TwoFactorRepository, 'find'> }) {
  return async (userId: string): Promise<TwoFactorStatus> => {
    const account = await deps.twoFactor.find(userId);
    if (!account) throw new AppError('not_found', 'The account no longer exists');
    const { enabledAt, recoveryCodes, reset } = account.twoFactor;
    return {
      enabled: enabledAt !== null,
      enabledAt: enabledAt?.toISOString() ?? null,
      recoveryCodesRemaining: enabledAt ? recoveryCodes.filter((code) => !code.usedAt).length : 0,
      reset: reset ? pendingResetView(reset) : null,
    };
  };
}
