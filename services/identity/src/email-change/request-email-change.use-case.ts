import { AppError } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import { issueOneTimeToken, type StoredToken } from '../tokens/one-time-token';
import { proveFactorsInUse, wrongCode, type ProofDeps } from '../two-factor/second-factor-proof';
import type { TwoFactorRepository } from '../two-factor/two-factor.repository';
import type { UserRepository } from '../users/user.repository';
import { addressTakenEmail, confirmLinkEmail, emailChangeLink } from './email-change-events';

export interface RequestEmailChangeDeps extends ProofDeps {
  users: Pick<UserRepository, 'passwordHashOf' | 'findHolder' | 'addToken'>;
  twoFactor: Pick<TwoFactorRepository, 'find' | 'spendTimeStep'>;
  change: { ttlMs: number; linkBase: string };
}

/**
 * Sends a link to the new address for a signed-in user who gives the password (and a current code
 * when two-factor is on): a stolen access token alone cannot move the account to another mailbox.
 * An address that already has an account gets the same work and the same answer, so the requester
 * cannot tell the two apart; its owner is told instead, and the stored token can never be confirmed
 * (the address is taken). Either way the request replaces the one pending before it.
 */
export function requestEmailChange(deps: RequestEmailChangeDeps) {
  return async (input: {
    userId: string;
    newEmail: string;
    password: string;
    code?: string | undefined;
    context: RequestContext;
  }): Promise<void> => {
    const { account, timeStep } = await proveFactorsInUse(deps, input, 'email_change_requested');
    const { user } = account;
    if (input.newEmail === user.email) {
      throw new AppError('validation_failed', 'newEmail: is already the address of this account', {
        errors: [{ path: 'newEmail', message: 'is already the address of this account' }],
      });
    }
    if (timeStep !== null && !(await deps.twoFactor.spendTimeStep(user.id, timeStep))) throw wrongCode();

    const now = deps.clock();
    const owner = await deps.users.findHolder(input.newEmail);
    const token = issueOneTimeToken(now, deps.change.ttlMs);
    const stored: StoredToken = {
      hash: token.hash,
      purpose: 'email-change',
      expiresAt: token.expiresAt,
      usedAt: null,
      createdAt: now,
      email: input.newEmail,
    };
    const email = owner
      ? addressTakenEmail(owner, now)
      : confirmLinkEmail(
          user,
          input.newEmail,
          emailChangeLink(deps.change.linkBase, 'confirm-email-change', token.value),
          token.expiresAt,
          now,
        );
    await deps.users.addToken(user.id, stored, [email]);
    // Nothing about the new address: the requester can read their audit log.
    await deps.audit.record({ userId: user.id, action: 'email_change_requested', outcome: 'success', context: input.context });
  };
}
