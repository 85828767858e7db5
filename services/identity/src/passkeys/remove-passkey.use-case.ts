import { createEvent, type PasskeyList } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { confirmPassword, type ConfirmPasswordDeps } from '../login/confirm-password';
import type { UserRepository } from '../users/user.repository';
import type { PasskeyRepository } from './passkey.repository';
import { passkeyView } from './relying-party';

export function listPasskeys(deps: { passkeys: Pick<PasskeyRepository, 'listOf'> }) {
  return async (userId: string): Promise<PasskeyList> => ({ passkeys: (await deps.passkeys.listOf(userId)).map(passkeyView) });
}

/** Removes a passkey of the account once the password is confirmed: a stolen session alone cannot take a way in away. */
export function removePasskey(
  deps: ConfirmPasswordDeps & { users: Pick<UserRepository, 'findById' | 'passwordHashOf'>; passkeys: Pick<PasskeyRepository, 'remove'> },
) {
  return async (input: { userId: string; passkeyId: string; password: string; context: RequestContext }): Promise<void> => {
    const [user, passwordHash] = await Promise.all([deps.users.findById(input.userId), deps.users.passwordHashOf(input.userId)]);
    if (!user || !passwordHash) throw new AppError('unauthorized', 'The account no longer exists');
    await confirmPassword(deps, { user, passwordHash, password: input.password, context: input.context, action: 'passkey_removed' });
    if (!(await deps.passkeys.remove(user.id, input.passkeyId))) throw new AppError('not_found', 'This account has no such passkey');
    const now = deps.clock();
    await deps.audit.record(
      { userId: user.id, action: 'passkey_removed', outcome: 'success', context: input.context, details: { passkeyId: input.passkeyId } },
      [
        createEvent('PasskeyRemoved', {
          source: '/identity',
          subject: user.id,
          time: now,
          data: { userId: user.id, passkeyId: input.passkeyId },
        }),
      ],
    );
  };
}
