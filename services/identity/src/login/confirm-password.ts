import { AppError } from '@solar/chassis';
import type { AuditLog, AuditRecord } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { PasswordHasher } from '../users/password-hasher';
import { throttleRefusal, type RefusalOptions, type ThrottleKey } from './login-throttle';
import type { LoginThrottle } from './login.use-case';

export interface ConfirmPasswordDeps {
  hasher: PasswordHasher;
  /** The sign-in throttle: a wrong password here counts like a failed sign-in. */
  throttle: Pick<LoginThrottle, 'stateOf' | 'recordFailure'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
}

/**
 * Actions for a signed-in account take no CAPTCHA: they ask for the password so that a stolen
 * session cannot change it or delete the account, and a CAPTCHA says nothing about who holds the session.
 */
const WAIT_FOR_WINDOW: Pick<RefusalOptions, 'captcha'> = {
  captcha: 'Too many failed sign-ins for this address from many places; try again once the window ends (Retry-After)',
};

/** Refuses while this address is locked for this client, as sign-in would. */
export async function refuseWhileLocked(
  throttle: Pick<LoginThrottle, 'stateOf'>,
  key: ThrottleKey,
  now: Date,
  captcha: Pick<RefusalOptions, 'captcha' | 'captchaSolved'> = WAIT_FOR_WINDOW,
): Promise<void> {
  const refusal = throttleRefusal(await throttle.stateOf(key), now, {
    locked: 'Too many failed attempts for this account; try again later',
    ...captcha,
  });
  if (refusal) throw refusal;
}

/**
 * What every action guarded by the current password does before acting (sign-in has its own path):
 * refuse while the (address, client) is locked, then check the password; a wrong one is counted
 * towards the lock and audited under `action` before the answer `invalid_credentials`.
 */
export async function confirmPassword(
  deps: ConfirmPasswordDeps,
  input: {
    user: { id: string; email: string };
    passwordHash: string;
    password: string;
    context: RequestContext;
    action: AuditRecord['action'];
  },
): Promise<void> {
  const key = { email: input.user.email, ip: input.context.ip };
  await refuseWhileLocked(deps.throttle, key, deps.clock());
  if (await deps.hasher.verify(input.passwordHash, input.password)) return;
  await deps.throttle.recordFailure(key, deps.clock());
  await deps.audit.record({
    userId: input.user.id,
    action: input.action,
    outcome: 'failure',
    context: input.context,
    details: { reason: 'bad_password' },
  });
  throw new AppError('invalid_credentials', 'The password is not correct');
}
