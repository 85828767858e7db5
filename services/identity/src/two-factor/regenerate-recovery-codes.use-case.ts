import { createEvent } from '@solar/contracts';
import type { RequestContext } from '../http/request-context';
import { newRecoveryCodes } from './recovery-codes';
import { proveBothFactors, wrongCode, type ProofDeps } from './second-factor-proof';
import type { TwoFactorRepository } from './two-factor.repository';
import { hashesOf } from './verify-two-factor.use-case';

export interface RegenerateRecoveryCodesDeps extends ProofDeps {
  twoFactor: Pick<TwoFactorRepository, 'find' | 'replaceRecoveryCodes'>;
}

/** Ten new recovery codes, shown once; every earlier code stops working in the same write. */
export function regenerateRecoveryCodes(deps: RegenerateRecoveryCodesDeps) {
  return async (input: {
    userId: string;
    password: string;
    code: string;
    context: RequestContext;
  }): Promise<{ recoveryCodes: string[] }> => {
    const { account, timeStep } = await proveBothFactors(deps, input, 'recovery_codes_regenerated');
    const recoveryCodes = newRecoveryCodes();
    const userId = account.user.id;
    const event = createEvent('RecoveryCodesRegenerated', {
      source: '/identity',
      subject: userId,
      data: { userId, codes: recoveryCodes.length },
    });
    if (!(await deps.twoFactor.replaceRecoveryCodes(userId, timeStep, hashesOf(userId, recoveryCodes), [event]))) throw wrongCode();
    await deps.audit.record({ userId: account.user.id, action: 'recovery_codes_regenerated', outcome: 'success', context: input.context });
    return { recoveryCodes };
  };
}
