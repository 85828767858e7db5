import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { UserRepository } from '../users/user.repository';
import { changedNoticeEmail, emailChangeLink, emailChangedEvent } from './email-change-events';
import { auditTokenRefusal } from './token-refusal';

export interface ConfirmEmailChangeDeps {
  users: Pick<UserRepository, 'redeemToken' | 'addToken'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  undo: { ttlMs: number; linkBase: string };
}

/**
 * Switches the account to the address the link was sent to: opening the link proved the mailbox, so
 * the address counts as verified. Spending the token, the new address and EmailChanged are one
 * conditional write; the unique index refuses it when the address found another owner meanwhile.
 * Then the address left behind gets a notice with a link that restores it, so an owner whose
 * session was stolen can take the account back.
 */
export function confirmEmailChange(deps: ConfirmEmailChangeDeps) {
  return async (input: { token: string; context: RequestContext }): Promise<void> => {
    const now = deps.clock();
    let previousEmail = '';
    const user = await deps.users
      .redeemToken('email-change', input.token, (owner, token) => {
        if (!token.email) throw new AppError('token_invalid', 'The token is not valid');
        previousEmail = owner.email;
        return {
          set: { email: token.email, emailVerifiedAt: now },
          events: [emailChangedEvent(owner.id, owner.email, token.email, 'change', now)],
        };
      })
      .catch(auditTokenRefusal(deps.audit, 'email_changed', input.context));

    // A crash before this write leaves the change without its undo link; the notice and the link travel together.
    const undo = issueOneTimeToken(now, deps.undo.ttlMs);
    const undoLink = emailChangeLink(deps.undo.linkBase, 'undo-email-change', undo.value);
    await deps.users.addToken(
      user.id,
      { hash: undo.hash, purpose: 'email-change-undo', expiresAt: undo.expiresAt, usedAt: null, createdAt: now, email: previousEmail },
      [changedNoticeEmail(user, previousEmail, { newEmail: user.email, undoLink, expiresAt: undo.expiresAt }, now)],
    );
    await deps.audit.record({ userId: user.id, action: 'email_changed', outcome: 'success', context: input.context });
  };
}
