import QRCode from 'qrcode';
import type { TwoFactorEnableResponse } from '@solar/contracts';
import { AppError, type Sealer } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { sealSecret } from './sealed-secret';
import { provePasswordToSetUp, type ProofDeps } from './second-factor-proof';
import { newTotpSecret, totpUri } from './totp';
import type { TwoFactorRepository } from './two-factor.repository';

export interface EnableTwoFactorDeps extends ProofDeps {
  twoFactor: Pick<TwoFactorRepository, 'find' | 'setPending'>;
  sealer: Sealer;
  issuer: string;
}

/**
 * Starts setting up TOTP: a new secret, kept sealed until a code from it is confirmed. The secret
 * leaves in clear only in this answer, for the authenticator app. Calling it again replaces the
 * pending secret, so a half-finished setup can always be restarted. Needs a verified address and the
 * password (`provePasswordToSetUp`).
 */
export function enableTwoFactor(deps: EnableTwoFactorDeps) {
  return async (input: { userId: string; password: string; context: RequestContext }): Promise<TwoFactorEnableResponse> => {
    const account = await provePasswordToSetUp(deps, input, 'two_factor_setup_started');
    if (account.twoFactor.enabledAt) throw alreadyOn();
    const secret = newTotpSecret();
    if (!(await deps.twoFactor.setPending(input.userId, sealSecret(deps.sealer, input.userId, 'pendingSecret', secret)))) throw alreadyOn();
    const otpauthUri = totpUri({ secret, account: account.user.email, issuer: deps.issuer });
    const [png, svg] = await Promise.all([QRCode.toDataURL(otpauthUri), QRCode.toString(otpauthUri, { type: 'svg' })]);
    await deps.audit.record({ userId: input.userId, action: 'two_factor_setup_started', outcome: 'success', context: input.context });
    return { secret, otpauthUri, qrCode: { png, svg } };
  };
}

const alreadyOn = () => new AppError('conflict', 'Two-factor authentication is already on; turn it off first to set up a new secret');
