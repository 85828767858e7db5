import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { issueOneTimeToken } from '../tokens/one-time-token';
import type { WaitlistEntry, WaitlistRepository } from './waitlist.repository';

export interface DecideWaitlistEntryDeps {
  waitlist: Pick<WaitlistRepository, 'findById' | 'decide'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  invites: { ttlMs: number; linkBase: string };
}

type Input = { entryId: string; adminId: string; context: RequestContext };

/**
 * Approves a pending entry: an invite (single-use, hashed at rest) goes to the address by email,
 * WaitlistApproved (without the token) to everyone else. One write records the decision and both
 * events; a second decision on the same entry is a 409.
 */
export function approveWaitlistEntry(deps: DecideWaitlistEntryDeps) {
  return async (input: Input): Promise<WaitlistEntry> => {
    const now = deps.clock();
    const entry = await pendingEntry(deps, input.entryId);
    const token = issueOneTimeToken(now, deps.invites.ttlMs);
    const link = new URL('/register', deps.invites.linkBase);
    link.searchParams.set('invite', token.value);
    // The sign-up page shows the invited address, fixed: the invite is good for that address alone.
    link.searchParams.set('email', entry.email);
    const expiresAt = token.expiresAt.toISOString();
    const decided = await deps.waitlist.decide(
      entry.id,
      { status: 'approved', by: input.adminId, at: now, invite: { hash: token.hash, expiresAt: token.expiresAt, usedAt: null } },
      [
        createEvent('WaitlistApproved', {
          source: '/identity',
          subject: entry.id,
          time: now,
          data: { waitlistEntryId: entry.id, email: entry.email, approvedBy: input.adminId, inviteExpiresAt: expiresAt },
        }),
        createEvent('EmailRequested', {
          source: '/identity',
          subject: entry.id,
          time: now,
          data: {
            template: 'waitlist-approved',
            to: entry.email,
            locale: entry.locale,
            variables: { inviteLink: link.toString(), expiresAt },
          },
        }),
      ],
    );
    return recorded(deps, input, decided, 'waitlist_approved');
  };
}

/** Rejects a pending entry, quietly: nothing is sent to the address. */
export function rejectWaitlistEntry(deps: Omit<DecideWaitlistEntryDeps, 'invites'>) {
  return async (input: Input): Promise<WaitlistEntry> => {
    const entry = await pendingEntry(deps, input.entryId);
    const now = deps.clock();
    const rejected = createEvent('WaitlistRejected', {
      source: '/identity',
      subject: entry.id,
      time: now,
      data: { waitlistEntryId: entry.id, email: entry.email, rejectedBy: input.adminId },
    });
    const decided = await deps.waitlist.decide(entry.id, { status: 'rejected', by: input.adminId, at: now, invite: null }, [rejected]);
    return recorded(deps, input, decided, 'waitlist_rejected');
  };
}

async function pendingEntry(deps: Pick<DecideWaitlistEntryDeps, 'waitlist'>, id: string): Promise<WaitlistEntry> {
  const entry = await deps.waitlist.findById(id);
  if (!entry) throw new AppError('not_found', 'No waitlist entry has this id');
  if (entry.status !== 'pending') throw alreadyDecided(entry);
  return entry;
}

const alreadyDecided = (entry: WaitlistEntry) =>
  new AppError('conflict', `The entry was already ${entry.status}`, { entryStatus: entry.status });

async function recorded(
  deps: Pick<DecideWaitlistEntryDeps, 'waitlist' | 'audit'>,
  input: Input,
  decided: WaitlistEntry | null,
  action: 'waitlist_approved' | 'waitlist_rejected',
): Promise<WaitlistEntry> {
  if (!decided) {
    // Another admin decided between our read and our write.
    const now = await deps.waitlist.findById(input.entryId);
    throw now ? alreadyDecided(now) : new AppError('not_found', 'No waitlist entry has this id');
  }
  await deps.audit.record({
    userId: input.adminId,
    action,
    outcome: 'success',
    context: input.context,
    details: { waitlistEntryId: decided.id, email: decided.email },
  });
  return decided;
}
