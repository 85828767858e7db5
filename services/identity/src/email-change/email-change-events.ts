import { createEvent, type AnyCloudEvent, type Locale } from '@solar/contracts';

type Owner = { id: string; email: string; locale: Locale };

/** An emailed link of this feature: the page on the web app that takes the token. */
export function emailChangeLink(linkBase: string, page: 'confirm-email-change' | 'undo-email-change', token: string): string {
  const link = new URL(`/${page}`, linkBase);
  link.searchParams.set('token', token);
  return link.toString();
}

/** The confirmation link, to the new address: only its holder can finish the change. */
export function confirmLinkEmail(user: Owner, to: string, link: string, expiresAt: Date, now: Date): AnyCloudEvent {
  return createEvent('EmailRequested', {
    source: '/identity',
    subject: user.id,
    time: now,
    data: {
      template: 'email-change-requested',
      to,
      locale: user.locale,
      userId: user.id,
      variables: { link, expiresAt: expiresAt.toISOString() },
    },
  });
}

/**
 * To the owner of an address someone asked to move their account to: they hear of it, the
 * requester hears nothing they would not hear for a free address.
 */
export function addressTakenEmail(owner: Owner, now: Date): AnyCloudEvent {
  return createEvent('EmailRequested', {
    source: '/identity',
    subject: owner.id,
    time: now,
    data: { template: 'email-change-address-taken', to: owner.email, locale: owner.locale, userId: owner.id, variables: {} },
  });
}

export function emailChangedEvent(userId: string, previousEmail: string, email: string, via: 'change' | 'undo', now: Date): AnyCloudEvent {
  return createEvent('EmailChanged', { source: '/identity', subject: userId, time: now, data: { userId, previousEmail, email, via } });
}

/** To the address the account just left: what it changed to, and the link that takes it back. */
export function changedNoticeEmail(
  user: Owner,
  previousEmail: string,
  change: { newEmail: string; undoLink: string; expiresAt: Date },
  now: Date,
): AnyCloudEvent {
  return createEvent('EmailRequested', {
    source: '/identity',
    subject: user.id,
    time: now,
    data: {
      template: 'email-changed',
      to: previousEmail,
      locale: user.locale,
      userId: user.id,
      variables: { newEmail: change.newEmail, link: change.undoLink, expiresAt: change.expiresAt.toISOString() },
    },
  });
}
