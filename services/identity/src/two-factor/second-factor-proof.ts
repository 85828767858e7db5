import { AppError, type Sealer } from '@solar/chassis';
import type { AuditRecord } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { confirmPassword, type ConfirmPasswordDeps } from '../login/confirm-password';
import type { UserRepository } from '../users/user.repository';
import { openSecret } from './sealed-secret';
import { matchTotp } from './totp';
import type { TwoFactorAccount, TwoFactorRepository } from './two-factor.repository';

/** Wrong passwords and codes here count towards the sign-in lock like failed sign-ins. */
export interface ProofDeps extends ConfirmPasswordDeps {
  twoFactor: Pick<TwoFactorRepository, 'find'>;
  users: Pick<UserRepository, 'passwordHashOf'>;
  sealer: Sealer;
}

export const wrongCode = (extensions: Record<string, unknown> = {}) =>
  new AppError('invalid_code', 'The code is not correct, or was already used', extensions);

/**
 * What setting two-factor up demands of a signed-in user: a verified address and the password.
 * Without the first, whoever registered an address before its owner (a squatter) could put the
 * account behind their own authenticator app and keep the owner out even after a password reset;
 * without the second, a stolen access token alone could. A wrong password counts like a failed
 * sign-in. Resolves the account.
 */
export async function provePasswordToSetUp(
  deps: Omit<ProofDeps, 'sealer'>,
  input: { userId: string; password: string; context: RequestContext },
  action: AuditRecord['action'],
): Promise<TwoFactorAccount> {
  const [account, passwordHash] = await Promise.all([deps.twoFactor.find(input.userId), deps.users.passwordHashOf(input.userId)]);
  if (!account || !passwordHash) throw new AppError('unauthorized', 'The account no longer exists');
  if (!account.user.emailVerifiedAt) {
    throw new AppError('email_not_verified', 'Verify the email address (the link we sent) before setting up two-factor authentication');
  }
  await confirmPassword(deps, { user: account.user, passwordHash, password: input.password, context: input.context, action });
  return account;
}

/**
 * What turning two-factor off and regenerating recovery codes both demand of a signed-in user: the
 * password and a current TOTP code, so a stolen access token alone changes nothing. Resolves the
 * account and the code's time step, which the caller's write must spend (the replay guard).
 */
export async function proveBothFactors(
  deps: ProofDeps,
  input: { userId: string; password: string; code: string; context: RequestContext },
  action: AuditRecord['action'],
): Promise<{ account: TwoFactorAccount; timeStep: number }> {
  const account = await provePassword(deps, input, action);
  if (!account.twoFactor.enabledAt) throw new AppError('conflict', 'Two-factor authentication is not on');
  return { account, timeStep: await proveCode(deps, account, input, action) };
}

/**
 * What an action guarded by every factor the account has demands: the password, and a current TOTP
 * code when two-factor is on. Resolves the account and, when a code was checked, its time step for
 * the caller's write to spend (the replay guard); null when two-factor is off.
 */
export async function proveFactorsInUse(
  deps: ProofDeps,
  input: { userId: string; password: string; code?: string | undefined; context: RequestContext },
  action: AuditRecord['action'],
): Promise<{ account: TwoFactorAccount; timeStep: number | null }> {
  const account = await provePassword(deps, input, action);
  if (!account.twoFactor.enabledAt) return { account, timeStep: null };
  if (!input.code) throw new AppError('invalid_code', 'Two-factor authentication is on: give a current code from the authenticator app');
  return { account, timeStep: await proveCode(deps, account, { ...input, code: input.code }, action) };
}

async function provePassword(
  deps: ProofDeps,
  input: { userId: string; password: string; context: RequestContext },
  action: AuditRecord['action'],
): Promise<TwoFactorAccount> {
  const [account, passwordHash] = await Promise.all([deps.twoFactor.find(input.userId), deps.users.passwordHashOf(input.userId)]);
  if (!account || !passwordHash) throw new AppError('unauthorized', 'The account no longer exists');
  await confirmPassword(deps, { user: account.user, passwordHash, password: input.password, context: input.context, action });
  return account;
}

/** A wrong code counts towards the sign-in lock and is audited under `action`. */
async function proveCode(
  deps: ProofDeps,
  account: TwoFactorAccount,
  input: { userId: string; code: string; context: RequestContext },
  action: AuditRecord['action'],
): Promise<number> {
  const { secret, lastTimeStep } = account.twoFactor;
  if (!secret) throw new AppError('conflict', 'Two-factor authentication is not on');
  const now = deps.clock();
  const timeStep = await matchTotp(openSecret(deps.sealer, account.user.id, 'secret', secret), input.code, now, lastTimeStep);
  if (timeStep !== null) return timeStep;
  await deps.throttle.recordFailure({ email: account.user.email, ip: input.context.ip }, now);
  await deps.audit.record({
    userId: input.userId,
    action,
    outcome: 'failure',
    context: input.context,
    details: { reason: 'bad_second_factor' },
  });
  throw wrongCode();
}
