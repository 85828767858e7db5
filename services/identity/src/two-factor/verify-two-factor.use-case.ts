import { createEvent } from '@solar/contracts';
import { AppError, type Sealer } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from './recovery-codes';
import { openSecret, sealSecret } from './sealed-secret';
import { provePasswordToSetUp, wrongCode, type ProofDeps } from './second-factor-proof';
import { matchTotp } from './totp';
import type { TwoFactorRepository } from './two-factor.repository';

export interface VerifyTwoFactorDeps extends ProofDeps {
  twoFactor: Pick<TwoFactorRepository, 'find' | 'enable'>;
  sealer: Sealer;
}

export const hashesOf = (userId: string, codes: string[]) => codes.map((code) => hashRecoveryCode(userId, normalizeRecoveryCode(code)!));

/**
 * Confirms the pending secret with a first code and turns two-factor on. The recovery codes are
 * returned here once; only their hashes are stored. The code's step is spent, so it cannot be
 * replayed at sign-in. Needs a verified address and the password, as enabling does.
 */
export function verifyTwoFactor(deps: VerifyTwoFactorDeps) {
  return async (input: {
    userId: string;
    password: string;
    code: string;
    context: RequestContext;
  }): Promise<{ recoveryCodes: string[] }> => {
    const account = await provePasswordToSetUp(deps, input, 'two_factor_enabled');
    if (account.twoFactor.enabledAt) throw new AppError('conflict', 'Two-factor authentication is already on');
    const pending = account.twoFactor.pendingSecret;
    if (!pending) throw new AppError('conflict', 'There is no secret to confirm: call POST /auth/2fa/enable first');
    const now = deps.clock();
    // provePasswordToSetUp has refused a locked (address, client); a wrong code counts towards it.
    const key = { email: account.user.email, ip: input.context.ip };
    const secret = openSecret(deps.sealer, input.userId, 'pendingSecret', pending);
    const timeStep = await matchTotp(secret, input.code, now, account.twoFactor.lastTimeStep);
    if (timeStep === null || secret === null) {
      await deps.throttle.recordFailure(key, now);
      await deps.audit.record({
        userId: input.userId,
        action: 'two_factor_enabled',
        outcome: 'failure',
        context: input.context,
        details: { reason: 'bad_second_factor' },
      });
      throw wrongCode();
    }

    const recoveryCodes = newRecoveryCodes();
    const { user } = account;
    const enabled = await deps.twoFactor.enable(
      input.userId,
      // Sealed anew for the confirmed field: a value is bound to the one field it was sealed for.
      { pending, sealed: sealSecret(deps.sealer, input.userId, 'secret', secret) },
      { timeStep, recoveryCodeHashes: hashesOf(user.id, recoveryCodes), now },
      [
        createEvent('TwoFactorEnabled', { source: '/identity', subject: user.id, time: now, data: { userId: user.id, method: 'totp' } }),
        createEvent('EmailRequested', {
          source: '/identity',
          subject: user.id,
          time: now,
          data: { template: 'two-factor-enabled', to: user.email, locale: user.locale, userId: user.id, variables: {} },
        }),
      ],
    );
    if (!enabled) throw new AppError('conflict', 'The setup changed meanwhile (another enable or verify); start again');
    await deps.audit.record({ userId: user.id, action: 'two_factor_enabled', outcome: 'success', context: input.context });
    return { recoveryCodes };
  };
}
