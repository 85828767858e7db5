import { twoFactorDisabledEvents } from './two-factor-disabled';
import type { RequestContext } from '../http/request-context';
import { proveBothFactors, wrongCode, type ProofDeps } from './second-factor-proof';
import type { TwoFactorRepository } from './two-factor.repository';

export interface DisableTwoFactorDeps extends ProofDeps {
  twoFactor: Pick<TwoFactorRepository, 'find' | 'disable'>;
}

/** Turns two-factor off for a user who gives the password and a current code; the secret and recovery codes are erased. */
export function disableTwoFactor(deps: DisableTwoFactorDeps) {
  return async (input: { userId: string; password: string; code: string; context: RequestContext }): Promise<void> => {
    const { account, timeStep } = await proveBothFactors(deps, input, 'two_factor_disabled');
    const { user } = account;
    const now = deps.clock();
    const disabled = await deps.twoFactor.disable(user.id, timeStep, twoFactorDisabledEvents(user, now));
    // The code's step was spent by a concurrent request between our check and this write.
    if (!disabled) throw wrongCode();
    await deps.audit.record({ userId: user.id, action: 'two_factor_disabled', outcome: 'success', context: input.context });
  };
}
