import { createEvent, type Locale } from '@solar/contracts';
import type { AuditLog } from '../audit/audit-log';
import { deletionRequestedEvents, newPendingDeletion } from '../deletion/pending-deletion';
import { SYSTEM_CONTEXT } from '../deletion/purge-account.use-case';
import type { SessionRepository } from '../sessions/session.repository';
import type { UserRepository } from '../users/user.repository';
import { eachWithLimit } from './batches';

export interface ReviewInactiveAccountsDeps {
  users: Pick<UserRepository, 'inactive' | 'warnInactive' | 'requestInactivityDeletion'>;
  sessions: Pick<SessionRepository, 'usedSince'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  /** Null turns the review off (the default). */
  inactiveAfterMs: number | null;
  warningMs: number;
  graceMs: number;
  signInLink: string;
  cancelLink: string;
  batchSize: number;
  concurrency: number;
}

/**
 * Accounts nobody has signed into for the configured time get a warning email; those still unused a
 * warning period later get an ordinary deletion request (reason `inactivity`, the normal grace
 * period), which a sign-in cancels. A session still being refreshed counts as use. Every change is a
 * conditional write on the account, so a sign-in racing the review wins, and two runs act once.
 */
export function reviewInactiveAccounts(deps: ReviewInactiveAccountsDeps) {
  return async (progress: () => Promise<void>): Promise<Record<string, number>> => {
    if (deps.inactiveAfterMs === null) return { disabled: 1 };
    const now = deps.clock();
    const before = new Date(now.getTime() - deps.inactiveAfterMs);
    const warnedBefore = new Date(now.getTime() - deps.warningMs);

    let requested = 0;
    await eachInactive(deps, { before, warned: true, warnedBefore }, progress, async (user) => {
      const deletion = newPendingDeletion(now, deps.graceMs, 'inactivity');
      if (
        !(await deps.users.requestInactivityDeletion(
          user.id,
          warnedBefore,
          deletion,
          deletionRequestedEvents(user, deletion, deps.cancelLink),
        ))
      ) {
        return;
      }
      requested++;
      await deps.audit.record({
        userId: user.id,
        action: 'deletion_requested',
        outcome: 'success',
        context: SYSTEM_CONTEXT,
        details: { deletionRequestId: deletion.requestId, purgeAt: deletion.purgeAt.toISOString(), reason: 'inactivity' },
      });
    });

    let warned = 0;
    const signInBy = new Date(now.getTime() + deps.warningMs).toISOString();
    await eachInactive(deps, { before, warned: false }, progress, async (user) => {
      const email = createEvent('EmailRequested', {
        source: '/identity',
        subject: user.id,
        time: now,
        data: {
          template: 'inactive-account-warning',
          to: user.email,
          locale: user.locale,
          userId: user.id,
          variables: { signInBy, signInLink: deps.signInLink },
        },
      });
      if (!(await deps.users.warnInactive(user.id, before, now, [email]))) return;
      warned++;
      await deps.audit.record({
        userId: user.id,
        action: 'inactivity_warning',
        outcome: 'success',
        context: SYSTEM_CONTEXT,
        details: { signInBy },
      });
    });
    return { warned, requested };
  };
}

/** Pages through the inactive accounts of one phase, leaving out those whose sessions are still in use. */
async function eachInactive(
  deps: ReviewInactiveAccountsDeps,
  query: Parameters<UserRepository['inactive']>[0],
  progress: () => Promise<void>,
  act: (user: { id: string; email: string; locale: Locale }) => Promise<void>,
): Promise<void> {
  for (let after = ''; ;) {
    const page = await deps.users.inactive(query, after, deps.batchSize);
    if (page.length === 0) return;
    after = page.at(-1)!.id;
    const active = await deps.sessions.usedSince(
      page.map((user) => user.id),
      query.before,
    );
    // Progress per account: each one publishes an email request, so a page can outlast the group's session timeout.
    await eachWithLimit(
      page.filter((user) => !active.has(user.id)),
      deps.concurrency,
      async (user) => {
        await act(user);
        await progress();
      },
    );
  }
}
