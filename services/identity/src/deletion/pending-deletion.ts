import { randomUUID } from 'node:crypto';
import { createEvent, type AnyCloudEvent, type PendingDeletionView, type Locale } from '@solar/contracts';
import type { PendingDeletion } from '../users/user.model';

const SOURCE = '/identity';

export function newPendingDeletion(now: Date, graceMs: number, reason: PendingDeletion['reason']): PendingDeletion {
  return { requestId: randomUUID(), reason, requestedAt: now, purgeAt: new Date(now.getTime() + graceMs), purgeStartedAt: null };
}

/** Due means the grace period is over: at purgeAt itself, not a millisecond before. */
export function isDue(deletion: Pick<PendingDeletion, 'purgeAt'>, now: Date): boolean {
  return deletion.purgeAt.getTime() <= now.getTime();
}

export function pendingDeletionView(deletion: PendingDeletion): PendingDeletionView {
  return {
    requestedAt: deletion.requestedAt.toISOString(),
    purgeAt: deletion.purgeAt.toISOString(),
    reason: deletion.reason === 'inactivity' ? 'inactivity' : 'requested',
  };
}

/** The profile's `deletion`: an unverified account's removal is immediate, never a pending state to show. */
export function profileDeletionView(deletion: PendingDeletion | null): PendingDeletionView | null {
  return deletion && deletion.reason !== 'unverified' ? pendingDeletionView(deletion) : null;
}

/** What a new deletion request announces, in the same write that marks the account: the event and the owner's notice. */
export function deletionRequestedEvents(
  user: { id: string; email: string; locale: Locale },
  deletion: PendingDeletion,
  cancelLink: string,
): AnyCloudEvent[] {
  const purgeAt = deletion.purgeAt.toISOString();
  return [
    createEvent('DeletionRequested', {
      source: SOURCE,
      subject: user.id,
      time: deletion.requestedAt,
      data: {
        userId: user.id,
        email: user.email,
        deletionRequestId: deletion.requestId,
        purgeAt,
        reason: deletion.reason === 'inactivity' ? 'inactivity' : 'requested',
      },
    }),
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: user.id,
      time: deletion.requestedAt,
      data: { template: 'deletion-requested', to: user.email, locale: user.locale, userId: user.id, variables: { purgeAt, cancelLink } },
    }),
  ];
}

export function deletionCancelledEvents(
  user: { id: string; email: string; locale: Locale },
  requestId: string,
  now: Date,
): AnyCloudEvent[] {
  return [
    createEvent('DeletionCancelled', {
      source: SOURCE,
      subject: user.id,
      time: now,
      data: { userId: user.id, deletionRequestId: requestId },
    }),
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: user.id,
      time: now,
      data: { template: 'deletion-cancelled', to: user.email, locale: user.locale, userId: user.id, variables: {} },
    }),
  ];
}

export function userDeletedEvent(user: { id: string; email: string; locale: Locale }, deletion: PendingDeletion, now: Date): AnyCloudEvent {
  return createEvent('UserDeleted', {
    source: SOURCE,
    subject: user.id,
    time: now,
    data: { userId: user.id, email: user.email, deletionRequestId: deletion.requestId, reason: deletion.reason, locale: user.locale },
  });
}

/** Where the deletion-requested email sends its owner to keep the account. */
export function cancelLinkOf(appUrl: string): string {
  const link = new URL('/settings/account', appUrl);
  link.searchParams.set('cancel-deletion', '1');
  return link.toString();
}
