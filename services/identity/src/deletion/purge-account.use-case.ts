import type { AuditLog, Pseudonymiser } from '../audit/audit-log';
import type { DataExportRepository } from '../data-export/data-export.repository';
import type { LoginThrottle } from '../login/login.use-case';
import type { PasskeyRepository } from '../passkeys/passkey.repository';
import type { SessionRepository } from '../sessions/session.repository';
import type { UserRepository } from '../users/user.repository';
import type { DeletedAccountRepository } from './deleted-account.repository';
import { isDue, userDeletedEvent } from './pending-deletion';

export interface PurgeAccountDeps {
  users: Pick<UserRepository, 'findById' | 'startPurge' | 'removePurged'>;
  sessions: Pick<SessionRepository, 'removeAllOf'>;
  passkeys: Pick<PasskeyRepository, 'removeAllOf'>;
  /** Data exports hold the person's data (sealed parts, the archive): they go with the account. */
  dataExports: Pick<DataExportRepository, 'removeAllOf'>;
  /** What the OpenID Connect provider keeps of the account: its sessions, grants, tokens and consents. */
  oidc: { removeAccount: (userId: string) => Promise<void> };
  /** The sign-in throttle is keyed by a plain hash of the address: it goes too. */
  throttle: Pick<LoginThrottle, 'resetAddress'>;
  audit: Pick<AuditLog, 'pseudonymise' | 'record'>;
  tombstones: Pick<DeletedAccountRepository, 'record'>;
  /** Publishes what the account's own outbox still holds (its deletion emails, say) before the document goes. */
  flushAccountOutbox: (userId: string) => Promise<void>;
  pseudonym: Pseudonymiser;
  clock: () => Date;
  /** Waits in real time; lets a request that is due within the clock-skew allowance wait for its moment. */
  sleep: (ms: number) => Promise<void>;
}

export type PurgeOutcome = 'purged' | 'not_pending';

/** Clocks of two services disagree by milliseconds; an event this early is waited out, not dropped. */
const CLOCK_SKEW_ALLOWANCE_MS = 2_000;

export const SYSTEM_CONTEXT = { ip: 'system', userAgent: '' } as const;

/**
 * Carries out a deletion request whose grace period has ended, if that very request is still pending
 * and due: never a moment early, never a cancelled or superseded request, never twice.
 *
 * The steps, each safe to repeat, so a crash at any point is finished by the next delivery (or by
 * the maintenance task that resumes stalled purges):
 * 1. mark the purge started on the account (conditional on request id and purgeAt): from here the
 *    deletion can no longer be cancelled, nor the account signed into;
 * 2. publish what the account's outbox still holds;
 * 3. write the tombstone with UserDeleted in its outbox (once per request: its id is the request id);
 * 4. remove every session, every passkey, every data export and the address's sign-in throttle; 5. pseudonymise the audit entries; 6. record the purge in the audit log
 *    (under a fixed id, so once); 7. remove the account document, last, as it holds what the
 *    steps before need.
 */
export function purgeAccount(deps: PurgeAccountDeps) {
  return async (input: { userId: string; deletionRequestId: string }): Promise<PurgeOutcome> => {
    let account = await deps.users.startPurge(input.userId, input.deletionRequestId, deps.clock());
    if (!account) {
      const early = await dueWithinAllowance(deps, input);
      if (early === null) return 'not_pending';
      await deps.sleep(early);
      account = await deps.users.startPurge(input.userId, input.deletionRequestId, deps.clock());
      if (!account) return 'not_pending';
    }
    const { deletion } = account;
    const now = deps.clock();
    const userPseudonym = deps.pseudonym('user', account.id);

    await deps.flushAccountOutbox(account.id);
    await deps.tombstones.record(
      account.id,
      { _id: deletion.requestId, userPseudonym, reason: deletion.reason, requestedAt: deletion.requestedAt, deletedAt: now },
      [userDeletedEvent(account, deletion, now)],
    );
    const sessionsRemoved = await deps.sessions.removeAllOf(account.id);
    await deps.passkeys.removeAllOf(account.id);
    await deps.dataExports.removeAllOf(account.id);
    await deps.oidc.removeAccount(account.id);
    await deps.throttle.resetAddress(account.email);
    const auditEntries = await deps.audit.pseudonymise({ userId: account.id, email: account.email }, deps.pseudonym);
    await deps.audit.record(
      {
        id: `account-deleted:${deletion.requestId}`,
        userId: userPseudonym,
        action: 'account_deleted',
        outcome: 'success',
        context: SYSTEM_CONTEXT,
        details: { deletionRequestId: deletion.requestId, reason: deletion.reason, sessionsRemoved, auditEntries },
      },
      [],
    );
    await deps.users.removePurged(account.id, deletion.requestId);
    return 'purged';
  };
}

/** Milliseconds until this request falls due, when it is pending and due within the allowance; else null. */
async function dueWithinAllowance(deps: PurgeAccountDeps, input: { userId: string; deletionRequestId: string }): Promise<number | null> {
  const deletion = (await deps.users.findById(input.userId))?.deletion;
  if (!deletion || deletion.requestId !== input.deletionRequestId || deletion.purgeStartedAt) return null;
  const now = deps.clock();
  if (isDue(deletion, now)) return 0;
  const wait = deletion.purgeAt.getTime() - now.getTime();
  return wait <= CLOCK_SKEW_ALLOWANCE_MS ? wait : null;
}
